#!/usr/bin/env bash
# The container image built from the Containerfile and run with podman, alone and as three
# instances on PostgreSQL behind nginx (packages/deploy-check). Installs podman, runc and
# debootstrap if missing. The first build takes ~20 minutes on 2 cores; later ones reuse layers.
source "$(dirname "$0")/lib.sh"
install_and_build
ensure_postgres
ensure_nginx
ensure_podman
ensure_systemd_analyze
start_test_postgres
TOKENSMITH_TEST_IMAGE=1 pnpm test:deploy
