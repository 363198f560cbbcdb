import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { requireToken } from "../src/express.js";
import { adapterTokens, expectProtected, type AdapterTokens } from "./support/adapter-cases.js";
import { FEED_KEY, Tokensmith } from "./support/tokensmith.js";

/** A real Express app protected by requireToken, against the real Tokensmith server. */
let tokensmith: Tokensmith;
let verifier: Verifier;
let api: Server;
let tokens: AdapterTokens;

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
  tokens = await adapterTokens(tokensmith);
  verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url });
  const app = express();
  // Mounted under /api on a router: the adapter must match the original path, not the stripped one.
  const orders = express.Router();
  orders.use(requireToken(verifier));
  orders.get("/orders/:id", (req, res) => void res.json({ caller: req.tokensmith }));
  app.use("/api", orders);
  // A users router beside it: Express routes on the raw path, so /api/users/../orders/1 lands here.
  const users = express.Router();
  users.use(requireToken(verifier), (req, res) => void res.json({ caller: req.tokensmith, router: "users" }));
  app.use("/api/users", users);
  app.get("/admin", requireToken(verifier), (req, res) => void res.json({ caller: req.tokensmith }));
  // Express resolves nothing itself: these only exist so that a trick path would reach a handler.
  app.use(requireToken(verifier), (req, res) => void res.json({ caller: req.tokensmith }));
  api = await new Promise<Server>((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
});
afterAll(async () => {
  await new Promise((resolve) => api?.close(resolve));
  await verifier?.close();
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

describe("@tokensmith/verify/express", () => {
  it("requireToken: 200 with req.tokensmith, 401 without or with a forged token, 403 outside the endpoints", async () => {
    await expectProtected(`http://127.0.0.1:${(api.address() as AddressInfo).port}`, tokens);
  });
});
