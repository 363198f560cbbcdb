#!/usr/bin/env bash
# `pnpm bench`: install and build what is missing, then run the benchmark against the production server.
source "$(dirname "$0")/lib.sh"
install_and_build
log "Benchmark"
pnpm --filter @tokensmith/bench bench
