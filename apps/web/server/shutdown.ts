import type http from "node:http";
import { flushLogs, log, type Tokensmith } from "@tokensmith/api";
import type { RequestTracker } from "./request-log.js";

/** While stopping, idle keep-alive connections are closed this often (a request that just finished leaves one). */
const IDLE_SWEEP_MS = 50;

const isEventStream = (res: http.ServerResponse) => String(res.getHeader("content-type") ?? "").startsWith("text/event-stream");

/**
 * SIGTERM (or SIGINT): stop accepting connections and say "not ready"; end the revocation streams
 * cleanly (their followers reconnect, through the load balancer, to another instance); let requests
 * in flight finish, for at most `timeoutMs`, then cut what is left; write out the usage counts and
 * last-used times kept in memory; close the database; exit 0.
 */
export function gracefulShutdown(opts: {
  server: http.Server;
  app: Tokensmith;
  requests: RequestTracker & { stopping: boolean };
  timeoutMs: number;
  also?: http.Server[];
}): (signal: string) => void {
  const { server, app, requests, timeoutMs } = opts;
  let stopping = false;
  return (signal) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    log.info(`${signal}: shutting down (${requests.inFlight.size} requests in flight; waiting at most ${timeoutMs / 1000} s)`);
    app.health.markStopping();
    requests.stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const other of opts.also ?? []) other.close();
    for (const res of requests.inFlight) {
      if (isEventStream(res)) res.end();
      // Keep-alive connections are not reused: the client's next request goes to another instance.
      else if (!res.headersSent) res.setHeader("Connection", "close");
    }
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log.warn(`${signal}: ${requests.inFlight.size} requests still in flight after ${timeoutMs / 1000} s (SHUTDOWN_TIMEOUT): closing their connections`);
        server.closeAllConnections();
        resolve();
      }, timeoutMs);
    });
    void Promise.race([closed, deadline])
      .then(async () => {
        clearInterval(sweep);
        clearTimeout(timer);
        await app.close();
        log.info(`${signal}: stopped in ${Math.round(performance.now() - started)} ms`);
        await flushLogs();
        process.exit(0);
      })
      .catch(async (error: unknown) => {
        log.fatal({ err: error }, `${signal}: could not close cleanly`);
        await flushLogs();
        process.exit(1);
      });
  };
}
