import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { requireToken, tokensmith as tokensmithPlugin } from "../src/fastify.js";
import { adapterTokens, expectProtected, type AdapterTokens } from "./support/adapter-cases.js";
import { FEED_KEY, Tokensmith } from "./support/tokensmith.js";

/** Real Fastify apps protected by the plugin and by a per-route preHandler. */
let tokensmith: Tokensmith;
let verifier: Verifier;
const apps: FastifyInstance[] = [];
let tokens: AdapterTokens;

async function listen(setup: (app: FastifyInstance) => void | Promise<void>): Promise<string> {
  const app = Fastify();
  apps.push(app);
  await setup(app);
  return app.listen({ port: 0, host: "127.0.0.1" });
}

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
  tokens = await adapterTokens(tokensmith);
  verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await verifier?.close();
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

describe("@tokensmith/verify/fastify", () => {
  it("as a plugin: every route of the scope requires a token", async () => {
    const url = await listen(async (app) => {
      await app.register(tokensmithPlugin, { verifier });
      app.get("/api/orders/:id", async (request) => ({ caller: request.tokensmith }));
      app.get("/admin", async (request) => ({ caller: request.tokensmith }));
      app.get("/api/users/*", async (request) => ({ caller: request.tokensmith, router: "users" }));
      app.get("/*", async (request) => ({ caller: request.tokensmith }));
    });
    await expectProtected(url, tokens);
  });

  it("as a preHandler on each route", async () => {
    const url = await listen((app) => {
      const preHandler = requireToken(verifier);
      app.get("/api/orders/:id", { preHandler }, async (request) => ({ caller: request.tokensmith }));
      app.get("/admin", { preHandler }, async (request) => ({ caller: request.tokensmith }));
      app.get("/api/users/*", { preHandler }, async (request) => ({ caller: request.tokensmith, router: "users" }));
      app.get("/*", { preHandler }, async (request) => ({ caller: request.tokensmith }));
    });
    await expectProtected(url, tokens);
  });
});
