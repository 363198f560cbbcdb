#!/usr/bin/env bash
# Quick start, command 2: install what is missing (pnpm, dependencies, Chromium), build, run every test.
source "$(dirname "$0")/lib.sh"
install_and_build
ensure_chromium

rm -f packages/*/test-results/vitest.json apps/*/test-results/vitest.json apps/web/test-results/e2e.json
status=0
log "Unit, integration and HTTP tests (vitest)"
pnpm test:unit || status=1
log "End-to-end tests in Chromium (Playwright)"
pnpm test:e2e || status=1
log "Summary"
node scripts/test-summary.mjs || status=1
exit $status
