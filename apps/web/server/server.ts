// Entry point: production defaults first, then the app (its imports must see them, so it loads dynamically).
import v8 from "node:v8";

const env = process.env as Record<string, string | undefined>;
env.NODE_ENV ??= "production";
env.NEXT_TELEMETRY_DISABLED ??= "1";
// Prisma's query compiler is WebAssembly. Left to V8's default, its hot functions are compiled a
// second time by the optimizing tier, which kept ~40 MB resident for good; the baseline tier alone
// keeps it small, and nothing on the API's hot path runs Prisma (reads and token writes are
// prepared statements). Set before anything compiles a WebAssembly module.
v8.setFlagsFromString("--liftoff-only");

const { main } = await import("./main.js");
await main();
