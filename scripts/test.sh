#!/usr/bin/env bash
# Quick start, command 2: install what is missing (pnpm, dependencies, Chromium, PostgreSQL, nginx, PyJWT,
# Caddy, faketime, systemd-analyze), build, and run every test — the database-backed suites once on
# SQLite and once on PostgreSQL, then the deploy/ files. The container image: `pnpm test:image`.
source "$(dirname "$0")/lib.sh"
install_and_build
ensure_chromium
ensure_postgres
ensure_nginx
ensure_python_jwt
ensure_caddy
ensure_faketime
ensure_netns_tools
ensure_systemd_analyze

rm -f packages/*/test-results/vitest*.json apps/*/test-results/vitest*.json apps/web/test-results/e2e.json
status=0
log "Unit, integration and HTTP tests on SQLite (vitest)"
pnpm test:unit || status=1
log "The database-backed suites again, on PostgreSQL (vitest)"
start_test_postgres
TOKENSMITH_TEST_DATABASE=postgres pnpm test:postgres || status=1
log "End-to-end tests in Chromium (Playwright)"
pnpm test:e2e || status=1
# The compose files, the Containerfile and the systemd unit. The image itself is built and run by
# `pnpm test:image` (scripts/test-image.sh): its first build alone takes longer than this whole run.
log "The compose files, the Containerfile and the systemd unit"
pnpm test:deploy || status=1
log "Summary"
node scripts/test-summary.mjs || status=1
exit $status
