// Entry point: production defaults first, then the app (its imports must see them, so it loads dynamically).
// Node's own options (heap sizes, V8's WebAssembly tier) are set on its command line by scripts/start.sh.
const env = process.env as Record<string, string | undefined>;
env.NODE_ENV ??= "production";
env.NEXT_TELEMETRY_DISABLED ??= "1";

const { main } = await import("./main.js");
await main();
