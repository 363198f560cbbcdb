// The API the verify benchmark loads, in a process of its own so that its CPU time can be read
// from /proc: an Express route answering a caller-shaped JSON body, bare (PROTECT unset) or behind
// @tokensmith/verify's requireToken (PROTECT=1, ISSUER = the Tokensmith to follow, FEED_KEY its feed key), or behind a
// middleware that does nothing (NOOP=1).
import { createRequire } from "node:module";

// express and @tokensmith/verify are dependencies of packages/verify, not of this package: resolve
// them from there (the built dist/ of @tokensmith/verify, as a published copy would be).
const fromVerify = createRequire(new URL("../../verify/package.json", import.meta.url));
const express = fromVerify("express");
const { createVerifier } = await import(new URL("../../verify/dist/index.js", import.meta.url).href);
const { requireToken } = await import(new URL("../../verify/dist/express.js", import.meta.url).href);

const app = express();
app.set("etag", false);
app.set("x-powered-by", false);
if (process.env.PROTECT === "1") {
  const verifier = createVerifier({ issuer: process.env.ISSUER, feedKey: process.env.FEED_KEY, maxStaleness: 30_000 });
  if (!(await verifier.ready(10_000))) throw new Error("the verifier did not get its first snapshot");
  app.get("/api/orders/:id", requireToken(verifier), (req, res) => res.json({ caller: req.tokensmith }));
} else {
  const caller = JSON.parse(process.env.CALLER);
  // NOOP=1: one more middleware that does nothing, to show what Express itself charges for one.
  const passThrough = (req, res, next) => next();
  if (process.env.NOOP === "1") app.get("/api/orders/:id", passThrough, (req, res) => res.json({ caller }));
  else app.get("/api/orders/:id", (req, res) => res.json({ caller }));
}
const server = app.listen(0, "127.0.0.1", () => console.log(`express listening on http://127.0.0.1:${server.address().port}`));
