#!/bin/sh
# Run by the Containerfile's build stage in the built sources: copies what the server and the
# admin CLI run into $2, in the repository's layout (packages/db finds the migrations from its own
# place): their build output from here, their production dependencies from the tree $1. Sources,
# tests, dev dependencies and build caches stay behind.
set -eu
deps="$1"
out="$2"
mkdir -p "$out"
copy() { for each in "$@"; do if [ -e "$each" ]; then cp -a --parents "$each" "$out/"; fi; done; }
copy package.json prisma/migrations prisma/postgres/migrations scripts/start.sh deploy/container/healthcheck.mjs
for dir in packages/addresses packages/endpoints packages/core packages/db packages/api apps/cli apps/web; do
  copy "$dir/package.json" "$dir/dist"
done
copy apps/web/next.config.mjs apps/web/.next apps/web/public
(cd "$deps" && for each in node_modules */*/node_modules; do if [ -e "$each" ]; then cp -a --parents "$each" "$out/"; fi; done)
# Next's build cache and the route types it generated for the type check; better-sqlite3's C
# sources, build files and objects (the addon is build/Release/*.node).
rm -rf "$out/apps/web/.next/cache" "$out/apps/web/.next/types"
for addon in "$out"/node_modules/.pnpm/better-sqlite3@*/node_modules/better-sqlite3; do
  rm -rf "$addon/deps" "$addon/src" "$addon/binding.gyp" "$addon/build/deps" "$addon/build/Release/obj" "$addon/build/Release/obj.target" \
         "$addon/build/Release/test_extension.node" "$addon/build/Release/sqlite3.a"
done
# TypeScript comes in as a peer dependency (tRPC's and Prisma's, for their types): nothing loads it
# at run time, and a compiler has no place in the image (23 MB).
rm -rf "$out"/node_modules/.pnpm/typescript@*
# Type declarations, source maps and Markdown: nothing loads them at run time (~300 MB).
find "$out" -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.md' \) -delete
