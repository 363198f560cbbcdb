// Starts the built production server for the e2e suite on a fresh database in a temp folder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-e2e-"));
process.env.DATABASE_URL = `file:${path.join(dir, "e2e.db")}`;
process.env.ADMIN_PASSWORD = "e2e-admin-password";
process.env.HOST = "127.0.0.1";
// The webhooks spec's receiver listens on loopback; deliveries are looked for every second.
process.env.WEBHOOK_ALLOW_PRIVATE = "1";
process.env.WEBHOOK_POLL_INTERVAL = "1 second";
// Specs that run the admin CLI on the server's database (as an operator on its host would) read it here.
if (process.env.E2E_SERVER_STATE) fs.writeFileSync(process.env.E2E_SERVER_STATE, JSON.stringify({ databaseUrl: process.env.DATABASE_URL }));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
await import("../dist/server.js");
