// One new verifier, in a process of its own (so its memory is its own): the built
// @tokensmith/verify following ISSUER's revocation feed with FEED_KEY until it is ready. Prints
// one JSON line: how long that took, how many bytes the feed sent, and the memory it holds.
// Run with --expose-gc: memory is read after a collection.
const { createVerifier } = await import(new URL("../../verify/dist/index.js", import.meta.url).href);

let bytes = 0;
/** The feed's body, counted as it streams through (the verifier reads it from here). */
const countingFetch = async (url, init) => {
  const response = await fetch(url, init);
  if (!String(url).includes("/v1alpha/revocations") || !response.body) return response;
  const counted = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: response.status, headers: response.headers });
};

globalThis.gc?.();
const before = process.memoryUsage();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const verifier = createVerifier({ issuer: process.env.ISSUER, feedKey: process.env.FEED_KEY, fetch: countingFetch, startupWait: 60_000 });
const ready = await verifier.ready(120_000);
const readyMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
// CPU time too: on a machine shared with other work, the wall time is mostly waiting for a core.
const cpuMs = (cpu.user + cpu.system) / 1000;
const snapshotBytes = bytes;
globalThis.gc?.();
const after = process.memoryUsage();
console.log(
  JSON.stringify({ ready, readyMs, cpuMs, snapshotBytes, revoked: verifier.status().revokedTokens, heapBytes: after.heapUsed - before.heapUsed, rssBytes: after.rss }),
);
await verifier.close();
