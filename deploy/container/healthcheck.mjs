// The container image's HEALTHCHECK: healthy while this instance is ready to serve (GET
// /healthz/ready answers 200: database, signing keys, migrations, and on PostgreSQL the change
// listener). Asks the server where it listens, from the same PORT and HOST; exit 0 or 1.
const port = process.env.PORT || "3000";
const host = process.env.HOST || "0.0.0.0";
const target = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
try {
  const response = await fetch(`http://${target}:${port}/healthz/ready`, { signal: AbortSignal.timeout(4000) });
  // The body names the failing check; `podman inspect` / `docker inspect` show it.
  if (!response.ok) console.log(`${response.status} ${await response.text()}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.log(error instanceof Error ? (error.cause?.message ?? error.message) : String(error));
  process.exit(1);
}
