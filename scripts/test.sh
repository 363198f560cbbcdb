#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build, and run every test.
source "$(dirname "$0")/lib.sh"
install_and_build
log "Unit, integration and HTTP tests"
pnpm test:unit
