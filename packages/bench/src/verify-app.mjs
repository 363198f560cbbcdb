// The API the verify benchmark loads, in a process of its own so that its CPU time can be read
// from /proc: one route (GET /api/orders/:id) answering the same JSON body in every mode, on
// FRAMEWORK=express (default) or fastify. GUARD says what stands before it:
//   bare         nothing;
//   noop         a middleware (a Fastify preHandler) that does nothing: what the framework charges for one;
//   tokensmith   @tokensmith/verify's requireToken (ISSUER = the Tokensmith to follow, FEED_KEY its feed key);
//   auth0        express-oauth2-jwt-bearer's auth(), as its README configures it (issuer and jwksUri);
//   express-jwt  express-jwt with jwks-rsa's expressJwtSecret, as their READMEs configure them.
const { createVerifier } = await import(new URL("../../verify/dist/index.js", import.meta.url).href);

const body = JSON.parse(process.env.CALLER);
const guard = process.env.GUARD ?? "bare";
const issuer = process.env.ISSUER;
const jwksUri = `${issuer}/.well-known/jwks.json`;
const route = "/api/orders/:id";

async function tokensmithVerifier() {
  const verifier = createVerifier({ issuer, feedKey: process.env.FEED_KEY, maxStaleness: 30_000 });
  if (!(await verifier.ready(10_000))) throw new Error("the verifier did not get its first snapshot");
  return verifier;
}

async function expressGuard() {
  if (guard === "noop") return (req, res, next) => next();
  if (guard === "tokensmith") {
    const { requireToken } = await import(new URL("../../verify/dist/express.js", import.meta.url).href);
    return requireToken(await tokensmithVerifier());
  }
  if (guard === "auth0") {
    const { auth } = await import("express-oauth2-jwt-bearer");
    // Tokensmith's tokens carry no `aud` yet: the library requires an audience, so the check of it is switched off.
    return auth({ issuer, jwksUri, audience: issuer, tokenSigningAlg: "ES256", validators: { aud: false } });
  }
  if (guard === "express-jwt") {
    const { expressjwt } = await import("express-jwt");
    const { default: jwksRsa } = await import("jwks-rsa");
    return expressjwt({ secret: jwksRsa.expressJwtSecret({ jwksUri, cache: true, rateLimit: true }), algorithms: ["ES256"], issuer });
  }
  throw new Error(`unknown GUARD ${guard}`);
}

async function listenExpress() {
  const { default: express } = await import("express");
  const app = express();
  app.set("etag", false);
  app.set("x-powered-by", false);
  if (guard === "bare") app.get(route, (req, res) => res.json(body));
  else app.get(route, await expressGuard(), (req, res) => res.json(body));
  const server = app.listen(0, "127.0.0.1", () => console.log(`express listening on http://127.0.0.1:${server.address().port}`));
}

async function listenFastify() {
  const { default: fastify } = await import("fastify");
  const app = fastify();
  let preHandler;
  if (guard === "noop") preHandler = (request, reply, done) => done();
  else if (guard === "tokensmith") {
    const { requireToken } = await import(new URL("../../verify/dist/fastify.js", import.meta.url).href);
    preHandler = requireToken(await tokensmithVerifier());
  } else if (guard !== "bare") throw new Error(`GUARD ${guard} is for Express`);
  app.get(route, preHandler ? { preHandler } : {}, async () => body);
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  console.log(`fastify listening on ${address}`);
}

await (process.env.FRAMEWORK === "fastify" ? listenFastify() : listenExpress());
