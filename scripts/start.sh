#!/usr/bin/env bash
# `pnpm start` (and `npm run up` once built): the production server, with Node sized for a
# long-running service (measured with `BENCH_MEMORY=1 pnpm bench`: 1,000,000 requests over 100,000
# tokens stay under 300 MB resident; docs/performance.md):
# - old space 512 MB: with Node's default (~4 GB here) V8 grows the heap up to 4× what is live
#   before collecting in earnest; under 1 GB it grows by ~1.5× (V8's MemoryController), and the
#   live heap stays under ~90 MB with every cache full. 160 MB kept it ~30 MB smaller still, but
#   then 20 concurrent lists of 50,000 tokens (15 MB of JSON each) ended the process out of heap;
#   at 512 MB they are served;
# - 8 MB semi-spaces: the young generation's garbage is collected sooner, at no cost in req/s;
# - --liftoff-only: Prisma's query compiler is WebAssembly; V8's optimizing tier compiled its hot
#   functions a second time and kept ~40 MB resident for good. The baseline tier alone keeps it
#   small; the API's hot path runs no Prisma (prepared statements), and creation rates were the
#   same within noise. Were Liftoff ever unable to compile the module, the server would fail at
#   start (the module is compiled whole when it loads), never while serving;
# - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (libuv's pool runs WebCrypto and
#   file I/O) its own arena, which keeps what it freed: ~20 MB less resident, no change in req/s.
# Your own --max-old-space-size / --max-semi-space-size in NODE_OPTIONS win, and so does your
# MALLOC_ARENA_MAX. `node apps/web/dist/server.js` started by hand gets Node's defaults.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
names_option() { [[ "${NODE_OPTIONS:-}" =~ $1 ]]; }
flags=(--liftoff-only)
names_option 'max[-_]semi[-_]space[-_]size' || flags+=(--max-semi-space-size=8)
names_option 'max[-_]old[-_]space[-_]size' || flags+=(--max-old-space-size=512)
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node "${flags[@]}" apps/web/dist/server.js
