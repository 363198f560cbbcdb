import type { IncomingMessage, ServerResponse } from "node:http";
import type { HealthChecks } from "../health/checks.js";
import { sendJson } from "./http.js";

export const HEALTH_PATHS = {
  live: "/healthz/live",
  ready: "/healthz/ready",
  /** Specter Desktop's probes (its API blueprint is mounted at /api), spelt as Specter spells them. */
  specterLive: "/api/healthz/liveness",
  specterReady: "/api/healthz/readyness",
} as const;

const PATHS = new Set<string>(Object.values(HEALTH_PATHS));
export const isHealthPath = (path: string): boolean => PATHS.has(path);

/** Werkzeug's text for a 405, as Flask-RESTful sends it. */
const SPECTER_METHOD_NOT_ALLOWED = "The method is not allowed for the requested URL.";

/**
 * /healthz/live and /healthz/ready, and Specter's /api/healthz/liveness and /api/healthz/readyness:
 * two wire formats over the same checks. Unauthenticated and cheap; never cached.
 */
export function createHealthHandler(health: HealthChecks) {
  return (req: IncomingMessage, res: ServerResponse, path: string): void | Promise<void> => {
    const specter = path.startsWith("/api/");
    if (req.method !== "GET" && req.method !== "HEAD") {
      const message = specter ? SPECTER_METHOD_NOT_ALLOWED : `Method ${req.method} not allowed here; use GET, HEAD`;
      return sendJson(res, 405, { message }, { Allow: "GET, HEAD" });
    }
    if (path === HEALTH_PATHS.live) return sendJson(res, 200, { status: "alive" });
    if (path === HEALTH_PATHS.specterLive) return sendJson(res, 200, { message: "i am alive" });
    return health.readiness().then(({ ready, checks, failing }) => {
      if (specter) {
        // Specter answers a failed readiness probe with a 500 and this message.
        return ready ? sendJson(res, 200, { message: "i am ready" }) : sendJson(res, 500, { message: "Readyness probe failed" });
      }
      if (ready) return sendJson(res, 200, { status: "ready", checks });
      sendJson(res, 503, { status: "not ready", failing, checks }, { "Retry-After": "5" });
    });
  };
}
