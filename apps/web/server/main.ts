import cluster from "node:cluster";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { configureLogging, routeConsoleToLog, ConfigError, createTokensmith, describeTarget, flushLogs, loadConfig, log, type Tokensmith } from "@tokensmith/api";
import { createHardenedServer } from "./http-server.js";
import { createRequestListener, type Listener } from "./request-listener.js";
import { runWorkers } from "./workers.js";
import { createRequestTracker } from "./request-log.js";
import { serveMetrics } from "./metrics-server.js";
import { gracefulShutdown } from "./shutdown.js";
import { listen, ListenError } from "./listen.js";
import { shareWorkerMetrics } from "./worker-metrics.js";

const APP_DIR = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
/**
 * Given no httpServer, Next hooks an 'upgrade' listener onto the server of the first request it
 * handles. Its upgrade handler serves only development HMR; in production it takes over every
 * request with an Upgrade header, to any path (the API's too), and leaves most of those sockets open
 * with no answer. Handing Next an emitter nobody emits on keeps Upgrade requests ordinary requests.
 */
const NO_UPGRADES = new EventEmitter() as unknown as http.Server;

/**
 * The dashboard's renderer, loaded when the first page or asset is asked for. Next.js with React's
 * server renderer is ~60 MB resident once it has rendered: an instance that only answers the API
 * (behind a load balancer, or before anyone opens the dashboard) never pays it. The first page
 * waits for it once (about a second); a failed load is retried by a page request 10 s later at the
 * earliest (those in between are answered 500, logged).
 */
const LOAD_RETRY_MS = 10_000;

function lazyDashboard(): Listener {
  let loading: Promise<Listener> | undefined;
  let failedAt = -Infinity;
  const load = async (): Promise<Listener> => {
    // Next is CommonJS: under NodeNext its types model the module object, while at runtime the
    // default import is the server factory itself.
    const nextModule = await import("next");
    const createNextServer = nextModule.default as unknown as typeof nextModule.default.default;
    const nextApp = createNextServer({ dev: false, dir: APP_DIR, httpServer: NO_UPGRADES });
    await nextApp.prepare();
    log.info("Dashboard renderer (Next.js) loaded for the first page request");
    return nextApp.getRequestHandler();
  };
  return async (req, res) => {
    if (!loading) {
      // A load that failed is tried again, but not by every page request: each try costs ~1 s of CPU.
      if (performance.now() - failedAt < LOAD_RETRY_MS) throw new Error("The dashboard renderer failed to load; retrying shortly");
      loading = load().catch((error: unknown) => {
        loading = undefined;
        failedAt = performance.now();
        throw error;
      });
    }
    return (await loading)(req, res);
  };
}

function announceFirstAdmin(app: Tokensmith): void {
  const admin = app.firstAdmin;
  if (!admin.created) return;
  // One line in either format, the password between spaces: copied with a double-click, found by
  // `grep "generated password"`. Printed by the one process that made the admin, once ever.
  if (admin.generatedPassword) {
    log.announce(
      `First start: created admin user "${admin.username}" with the generated password ${admin.generatedPassword} — shown only this once; sign in and change it, or set ADMIN_PASSWORD before the first start to choose it`,
    );
  } else {
    log.info(`First start: created admin user "${admin.username}" with the password from ADMIN_PASSWORD.`);
  }
}

export async function main(): Promise<void> {
  try {
    await start();
  } catch (error) {
    // A port another process holds is not a bug: one line, and a non-zero exit (not 2: freed, the
    // same configuration works, so a supervisor may well try again).
    if (!(error instanceof ListenError)) throw error;
    log.fatal(error.message);
    await flushLogs();
    process.exit(1);
  }
}

async function start(): Promise<void> {
  let config;
  let app: Tokensmith;
  try {
    config = loadConfig(process.env);
    configureLogging({ level: config.ops.logLevel, format: config.ops.logFormat, bufferBytes: config.ops.logBufferBytes, sharedOutput: config.workers > 1 });
    routeConsoleToLog();
    app = await createTokensmith(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      // Plain, on stderr: the configuration that says how to log (LOG_FORMAT) may be what is wrong.
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // Workers start after the primary made the first admin: none of them creates one.
  announceFirstAdmin(app);
  if (config.workers > 1 && cluster.isPrimary) {
    // This process has migrated the database and made the first admin and keys; workers serve.
    await app.close();
    return runWorkers(config, describeTarget(config.database));
  }

  // Next loads on the first page request; a missing build must still stop the start, not that page.
  if (!fs.existsSync(path.join(APP_DIR, ".next", "BUILD_ID"))) {
    log.fatal(`No dashboard build in ${path.join(APP_DIR, ".next")}: run \`pnpm build\` first.`);
    process.exit(2);
  }
  const metrics = config.ops.metrics;
  const requests = createRequestTracker({ trustProxy: config.trustProxy, histogram: metrics ? app.metrics.requests : null });
  if (metrics) app.metrics.collectProcessDefaults();
  // Under WORKERS the primary serves /metrics, adding up what each worker sends it.
  if (metrics && cluster.isWorker) shareWorkerMetrics(app.metrics);
  const metricsServer = metrics && cluster.isPrimary ? await serveMetrics(metrics, () => app.metrics.text()) : undefined;
  const server = createHardenedServer(createRequestListener(app, lazyDashboard(), requests));
  // A last line of defence: a promise some handler dropped must not take every other request down
  // with the process. The request it belonged to is reaped by the idle socket timeout.
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "[web] unhandled rejection"));

  await listen(server, config.port, config.host, { port: "PORT", host: "HOST" });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const wildcard = config.host === "0.0.0.0" || config.host === "::" || config.host === "";
  app.listening(`http://${wildcard ? "localhost" : config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`);
  // Under WORKERS the primary says it once all workers listen.
  if (cluster.isWorker) log.info(`[worker ${process.pid}] serving on port ${port}`);
  else log.announce(`Tokensmith listening on http://localhost:${port} (database: ${describeTarget(config.database)})`);

  const stop = gracefulShutdown({ server, app, requests, timeoutMs: config.ops.shutdownTimeoutMs, also: metricsServer ? [metricsServer] : [] });
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
