import http from "node:http";
import { log } from "@tokensmith/api";
import { listen } from "./listen.js";

const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * METRICS_PORT: /metrics on a listener of its own, on loopback unless METRICS_HOST says otherwise.
 * Never on the service's own port, which faces clients: counts of refusals, webhook failures and
 * followers are for operators, and a separate port keeps them out of reach without another
 * credential to manage. `text` is this process's registry, or (WORKERS) every worker's, added up.
 */
export async function serveMetrics(where: { port: number; host: string }, text: () => Promise<string>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found: metrics are at /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    text().then(
      (body) => res.writeHead(200, { "Content-Type": CONTENT_TYPE, "Cache-Control": "no-store" }).end(body),
      (error: unknown) => {
        log.error({ err: error }, "[metrics] could not collect");
        res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end("Could not collect metrics\n");
      },
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await listen(server, where.port, where.host, { port: "METRICS_PORT", host: "METRICS_HOST" });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : where.port;
  const host = where.host.includes(":") ? `[${where.host}]` : where.host;
  log.announce(`Metrics on http://${host}:${port}/metrics`);
  return server;
}
