#!/usr/bin/env bash
# For the container tests on a machine that reaches no container registry: makes a local stand-in
# for the public node:20-bookworm-slim image the Containerfile starts from, and prints its name.
# A minimal Debian bookworm from Debian's own packages (debootstrap), with this machine's Node
# (binary, headers, npm and corepack) laid out where the official image has them (/usr/local).
# Kept between runs: made again only when this machine's Node or this recipe changes.
# Needs root, podman, runc and debootstrap (scripts/lib.sh ensure_podman installs them).
set -euo pipefail
RECIPE=1
node_version="$(node -p 'process.versions.node')"
image="localhost/tokensmith-node-base:${node_version}-r${RECIPE}"
podman=(podman --runtime runc --cgroup-manager=cgroupfs)

if "${podman[@]}" image exists "$image"; then echo "$image"; exit 0; fi

node_bin="$(readlink -f "$(command -v node)")"
prefix="$(dirname "$(dirname "$node_bin")")"
[[ -f "$prefix/include/node/node_api.h" ]] || { echo "container-base: Node's headers are not in $prefix/include/node" >&2; exit 1; }
[[ -d "$prefix/lib/node_modules/npm" ]] || { echo "container-base: npm is not in $prefix/lib/node_modules/npm" >&2; exit 1; }
# The Debian mirror this machine's apt uses (deb822 sources first, then a classic sources.list).
mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
[[ -n "$mirror" ]] || mirror="$(awk '$1 == "deb" && $2 !~ /^\[/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
echo "container-base: debootstrap bookworm from $mirror (about a minute)" >&2
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || { tail -20 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"
mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/include" "$rootfs/usr/local/lib/node_modules"
cp "$node_bin" "$rootfs/usr/local/bin/node"
cp -a "$prefix/include/node" "$rootfs/usr/local/include/node"
for tool in npm corepack; do
  [[ -d "$prefix/lib/node_modules/$tool" ]] && cp -a "$prefix/lib/node_modules/$tool" "$rootfs/usr/local/lib/node_modules/$tool"
done
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
[[ -d "$rootfs/usr/local/lib/node_modules/corepack" ]] && ln -s ../lib/node_modules/corepack/dist/corepack.js "$rootfs/usr/local/bin/corepack"
# What the slim image trims: apt's lists and caches, documentation.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
tar -C "$rootfs" -c . | "${podman[@]}" import --change 'CMD ["node"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$image" >/dev/null
echo "$image"
