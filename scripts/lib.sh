# Shared by up.sh and test.sh: make sure the toolchain this repo needs is here, using only npm.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
PNPM_VERSION=10.34.8
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\n\033[1m==> %s\033[0m (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

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

# Installs a Debian package (as root, or with sudo) when `check` fails; says what to do otherwise.
apt_install() {
  local package="$1" what="$2"
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    log "Installing $what with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
    log "Installing $what with sudo apt-get"
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  fi
}

# The one shape of every ensure_* below: `check` (a shell condition) holds, or Debian's `package`
# is installed and `check` holds after it, or the run stops saying what to install and why.
ensure_package() {
  local check="$1" package="$2" what="$3" why="$4"
  eval "$check" && return
  apt_install "$package" "$what" || true
  eval "$check" && return
  echo "$what is needed $why: install it (Debian: apt-get install $package)." >&2
  exit 1
}

# Debian's Chromium for the e2e suite (Playwright's own browser download is not used); elsewhere,
# CHROMIUM_PATH names a Chromium or Chrome binary.
ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  ensure_package '[[ -x "$CHROMIUM_PATH" ]]' chromium Chromium "for the e2e tests (or set CHROMIUM_PATH)"
}

# Debian's PostgreSQL for the suites that also run against it (the tests start their own cluster).
ensure_postgres() {
  ensure_package 'compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null' postgresql PostgreSQL "for the PostgreSQL test pass"
}

# A throwaway PostgreSQL cluster for this run, shared by every suite; stopped when the script exits.
start_test_postgres() {
  local out
  out="$(mktemp)"
  node packages/testkit/dist/cli.js >"$out" 2>&1 &
  TEST_POSTGRES_PID=$!
  trap 'kill "$TEST_POSTGRES_PID" 2>/dev/null; wait "$TEST_POSTGRES_PID" 2>/dev/null' EXIT
  for _ in $(seq 1 300); do
    if grep -q '^postgresql://' "$out"; then
      TOKENSMITH_TEST_POSTGRES_URL="$(grep -m1 '^postgresql://' "$out")"
      export TOKENSMITH_TEST_POSTGRES_URL
      return
    fi
    if ! kill -0 "$TEST_POSTGRES_PID" 2>/dev/null; then cat "$out" >&2; exit 1; fi
    sleep 0.1
  done
  echo "The test PostgreSQL cluster did not start:" >&2
  cat "$out" >&2
  exit 1
}

# Debian's nginx-light (with auth_request) for the reverse-proxy tests; never started as a service.
ensure_nginx() {
  ensure_package '[[ -x /usr/sbin/nginx || -x /usr/bin/nginx ]]' nginx-light nginx "for the reverse-proxy tests"
}

# Debian's python3 with PyJWT, which the Specter import tests use to make Specter's users.json and
# tokens as Specter does (packages/testkit/src/specter.py); /usr/bin/python3, whatever else is on PATH.
ensure_python_jwt() {
  ensure_package '/usr/bin/python3 -c "import jwt" 2>/dev/null' python3-jwt "Python 3 with PyJWT" "for the Specter import tests"
}

# Debian's Caddy for the forward_auth tests; never started as a service (the tests run their own).
ensure_caddy() {
  ensure_package '[[ -x /usr/bin/caddy || -x /usr/local/bin/caddy ]]' caddy Caddy "for the reverse-proxy tests"
}

# libfaketime: the @tokensmith/verify tests run a verifier whose clock is set back, for real.
ensure_faketime() {
  ensure_package 'command -v faketime >/dev/null 2>&1' faketime faketime "for the clock-skew test"
}

# unshare (util-linux) and ip (iproute2): a test gives the built server a network namespace of its
# own with a public address on its loopback (webhooks-answer.sqlite.test.ts).
ensure_netns_tools() {
  ensure_package 'command -v unshare >/dev/null 2>&1' util-linux unshare "for a webhook test"
  ensure_package 'command -v ip >/dev/null 2>&1' iproute2 ip "for a webhook test"
}

# wrk: `pnpm bench` loads the authenticated paths with it as well as with autocannon (scripts/bench.sh only).
ensure_wrk() {
  ensure_package 'command -v wrk >/dev/null 2>&1' wrk wrk "for the benchmark's second load generator"
}

# podman (with runc) and debootstrap for the container image tests (packages/deploy-check): the
# image is built and run here, from a base made of Debian's packages (scripts/container-base.sh).
ensure_podman() {
  local tool
  for tool in podman runc debootstrap; do
    ensure_package "command -v $tool >/dev/null 2>&1" "$tool" "$tool" "for the container image tests"
  done
}

# systemd-analyze, which checks deploy/systemd/tokensmith.service offline (no systemd needs to run).
ensure_systemd_analyze() {
  ensure_package 'command -v systemd-analyze >/dev/null 2>&1' systemd systemd-analyze "to check the systemd unit"
}
