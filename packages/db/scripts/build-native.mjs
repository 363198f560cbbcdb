// Compiles native/shm-map.c into dist/native/shm-map.node with the system's C compiler and Node's
// own headers; no node-gyp, no Python, no download. Optional: without a compiler or headers it
// says so in one line and the SQLite commit probe reads the -shm file with pread instead (about
// 3 µs more CPU per authenticated request). Never fails the build.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = path.join(root, "native", "shm-map.c");
const output = path.join(root, "dist", "native", "shm-map.node");

function skip(reason) {
  fs.rmSync(output, { force: true });
  console.log(`[db] native shm reader not built (${reason}): SQLite commit checks use pread instead`);
  process.exit(0);
}

if (process.env.TOKENSMITH_NO_NATIVE === "1") skip("TOKENSMITH_NO_NATIVE=1");
if (process.platform !== "linux" && process.platform !== "darwin") skip(`${process.platform} is not supported`);
// Official Node tarballs and distribution packages ship include/node next to bin/node; npm's
// nodedir setting (a headers-only download) is looked at too.
const headers = [process.env.npm_config_nodedir, path.join(path.dirname(process.execPath), "..")]
  .filter(Boolean)
  .map((dir) => path.join(dir, "include", "node"))
  .find((dir) => fs.existsSync(path.join(dir, "node_api.h")));
if (!headers) skip("Node's C headers (node_api.h) are not installed");

fs.mkdirSync(path.dirname(output), { recursive: true });
const compiler = process.env.CC || "cc";
const args = ["-O2", "-shared", "-fPIC", "-Wall", "-Wextra", "-Werror", `-I${headers}`, source, "-o", output];
// macOS: N-API's symbols are resolved against the running node at load time.
if (process.platform === "darwin") args.push("-undefined", "dynamic_lookup");
const built = spawnSync(compiler, args, { encoding: "utf8" });
if (built.error) skip(`${compiler}: ${built.error.message}`);
if (built.status !== 0) skip(`${compiler} failed: ${(built.stderr || built.stdout).trim().split("\n")[0]}`);
console.log(`[db] native shm reader built: ${path.relative(root, output)}`);
