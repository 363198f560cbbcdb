import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextModule from "next";
import { ConfigError, createTokensmith, describeTarget, loadConfig, pathOf, TRPC_BASE_PATH, WELL_KNOWN_PREFIX, type Tokensmith } from "@tokensmith/api";

// Next is CommonJS: under NodeNext its types model the module object, while at runtime the default
// import is the server factory itself.
const createNextServer = nextModule as unknown as typeof nextModule.default;
const APP_DIR = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Pages anyone may see; Next's own assets are always public. */
const PUBLIC_PAGES = new Set(["/login"]);
const isAsset = (path: string) => path.startsWith("/_next/") || path === "/favicon.ico";

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, "Cache-Control": "no-store" });
  res.end();
}

/**
 * Signed out, every page goes to /login; signed in, / and /login go to /tokens. Decided here, where
 * the session store is, so Next never needs database access of its own.
 */
async function gatePage(app: Tokensmith, req: http.IncomingMessage, res: http.ServerResponse, web: Listener) {
  const path = pathOf(req.url);
  if (isAsset(path)) return web(req, res);
  const caller = await app.sessionCaller(req.headers.cookie);
  if (!caller && !PUBLIC_PAGES.has(path)) return redirect(res, "/login");
  if (caller && (path === "/" || PUBLIC_PAGES.has(path))) return redirect(res, "/tokens");
  return web(req, res);
}

/**
 * One process, two paths: /v1alpha/* and /api/trpc/* go straight to their handlers (no Next machinery
 * per API request); everything else — the dashboard — goes to Next's request handler.
 */
export function createRequestListener(app: Tokensmith, web: Listener): Listener {
  return (req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith("/v1alpha/") || url === "/v1alpha") return app.handleRest(req, res);
    if (url.startsWith(TRPC_BASE_PATH)) return app.handleTrpc(req, res);
    if (url.startsWith(WELL_KNOWN_PREFIX)) return app.handleWellKnown(req, res);
    gatePage(app, req, res, web).catch((error: unknown) => {
      console.error("[web]", error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("Internal server error");
    });
  };
}

function announceFirstAdmin(app: Tokensmith): void {
  const admin = app.firstAdmin;
  if (!admin.created) return;
  if (admin.generatedPassword) {
    console.log(
      `\n  First start: created admin user "${admin.username}" with the generated password\n\n      ${admin.generatedPassword}\n\n  It is shown only this once. Set ADMIN_PASSWORD before the first start to choose it.\n`,
    );
  } else {
    console.log(`First start: created admin user "${admin.username}" with the password from ADMIN_PASSWORD.`);
  }
}

export async function main(): Promise<void> {
  let config;
  let app: Tokensmith;
  try {
    config = loadConfig(process.env);
    app = await createTokensmith(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  announceFirstAdmin(app);

  const nextApp = createNextServer({ dev: false, dir: APP_DIR });
  await nextApp.prepare();
  const server = http.createServer(createRequestListener(app, nextApp.getRequestHandler()));
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const wildcard = config.host === "0.0.0.0" || config.host === "::" || config.host === "";
  app.listening(`http://${wildcard ? "localhost" : config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`);
  console.log(`Tokensmith listening on http://localhost:${port} (database: ${describeTarget(config.database)})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    server.close(() => void app.close().then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
