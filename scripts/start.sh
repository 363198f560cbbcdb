#!/usr/bin/env bash
# `pnpm start` (and `npm run up` once built): the production server, with its JavaScript heap sized
# for a long-running service. Node's default lets the heap grow toward a quarter of the machine's
# memory before it collects in earnest; measured (pnpm bench, BENCH_MEMORY=1) the live heap stays
# under ~90 MB with every cache full, so 160 MB of old space is ~twice that and keeps the
# resident size flat. An 8 MB young generation per semi-space collects garbage sooner at no cost
# in req/s. A --max-old-space-size of your own in NODE_OPTIONS wins. glibc gives each thread that
# allocates (libuv's pool runs WebCrypto and file I/O) its own malloc arena, which keeps what it
# freed: two arenas kept ~20 MB less resident with no change in req/s.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
flags=(--max-semi-space-size=8)
[[ "${NODE_OPTIONS:-}" == *max-old-space-size* ]] || flags+=(--max-old-space-size=160)
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node "${flags[@]}" apps/web/dist/server.js
