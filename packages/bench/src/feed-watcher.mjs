// One verifier that watches tokens, in a process of its own: the built @tokensmith/verify following
// ISSUER's revocation feed with FEED_KEY. Once ready and every token of TOKENS (a JSON array) is
// accepted, it prints {"watching":true}; then it checks each token every millisecond and prints
// {"token":i,"refusedAt":<epoch ms, sub-ms>} the first time one is refused. Ends when all are.
const { createVerifier } = await import(new URL("../../verify/dist/index.js", import.meta.url).href);

const tokens = JSON.parse(process.env.TOKENS);
const request = { method: "GET", path: "/api/orders/1" };
const verifier = createVerifier({ issuer: process.env.ISSUER, feedKey: process.env.FEED_KEY, startupWait: 60_000 });
if (!(await verifier.ready(120_000))) throw new Error("the verifier was not ready");
for (const token of tokens) await verifier.verify(token, request);
console.log(JSON.stringify({ watching: true }));

const left = new Set(tokens.keys());
const now = () => performance.timeOrigin + performance.now();
const timer = setInterval(() => {
  for (const i of left) {
    try {
      const caller = verifier.check(tokens[i], request);
      if (caller instanceof Promise) caller.catch(() => {});
    } catch {
      left.delete(i);
      console.log(JSON.stringify({ token: i, refusedAt: now() }));
    }
  }
  if (left.size === 0) {
    clearInterval(timer);
    void verifier.close().then(() => process.exit(0));
  }
}, 1);
