import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextModule from "next";
import { ConfigError, createTokensmith, loadConfig, type Tokensmith } from "@tokensmith/api";
import { createRequestListener } from "./request-listener.js";

// Next is CommonJS: under NodeNext its types model the module object, while at runtime the default
// import is the server factory itself.
const createNextServer = nextModule as unknown as typeof nextModule.default;
const APP_DIR = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

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
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createTokensmith(config);
  announceFirstAdmin(app);

  const nextApp = createNextServer({ dev: false, dir: APP_DIR });
  await nextApp.prepare();
  const server = http.createServer(createRequestListener(app, nextApp.getRequestHandler()));
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  console.log(`Tokensmith listening on http://localhost:${port} (database: ${config.databaseFile})`);

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
