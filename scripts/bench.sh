#!/usr/bin/env bash
# `pnpm bench`: install and build what is missing, then run the benchmark against the production server.
source "$(dirname "$0")/lib.sh"
install_and_build
ensure_wrk
ensure_nginx
log "Benchmark: the server"
pnpm --filter @tokensmith/bench bench "$@"
log "Benchmark: @tokensmith/verify (offline checks, Express middleware, revocation reach)"
pnpm --filter @tokensmith/verify build
pnpm --filter @tokensmith/bench bench:verify "$@"
