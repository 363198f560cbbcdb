# Shared by up.sh and test.sh: make sure the toolchain this repo needs is here, using only npm.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
PNPM_VERSION=10.34.8
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# pnpm 10 (pnpm 11 needs Node 22). A global install when we may, else a private one under .tools/.
ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1 && [[ "$(pnpm --version 2>/dev/null)" == 10.* ]]; then return; fi
  local private="$ROOT/.tools/node_modules/.bin"
  if [[ -x "$private/pnpm" ]]; then export PATH="$private:$PATH"; return; fi
  log "Installing pnpm $PNPM_VERSION with npm"
  if ! npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || [[ "$(pnpm --version 2>/dev/null)" != 10.* ]]; then
    npm install --prefix "$ROOT/.tools" "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$private:$PATH"
  fi
}

install_and_build() {
  ensure_pnpm
  # better-sqlite3 compiles against the local Node headers when no prebuilt binary can be fetched.
  local prefix
  prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [[ -z "${npm_config_nodedir:-}" && -f "$prefix/include/node/node_version.h" ]]; then
    export npm_config_nodedir="$prefix"
  fi
  log "Installing dependencies (pnpm $(pnpm --version))"
  pnpm install --frozen-lockfile
  log "Building"
  pnpm build
}
