#!/usr/bin/env bash
# Quick start, command 1: install, build, and start Tokensmith on the embedded SQLite database.
source "$(dirname "$0")/lib.sh"
install_and_build
log "Starting Tokensmith on http://localhost:${PORT:-3000}"
exec bash scripts/start.sh
