// Compiles native/shm-map.c into dist/native/shm-map.node with the system's C compiler and Node's
// own headers; no node-gyp, no Python, no download. Optional: without a compiler or headers it
// says so in one line and the SQLite commit probe reads the -shm file with pread instead (a few µs
// more CPU per authenticated request). Never fails the build. dist/native/status.json records
// what happened, for the test that checks a compiler which is there did build it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = path.join(root, "native", "shm-map.c");
const dir = path.join(root, "dist", "native");
const output = path.join(dir, "shm-map.node");

function finish(built, reason) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "status.json"), `${JSON.stringify({ built, reason })}\n`);
  } catch {
    // The status is for tests only.
  }
  console.log(built ? `[db] native shm reader built: ${path.relative(root, output)}` : `[db] native shm reader not built (${reason}): SQLite commit checks use pread instead`);
  process.exit(0);
}

try {
  // Never a stale helper from an earlier build: whatever happens below, the old one is gone first.
  fs.rmSync(output, { force: true });
  if (process.env.TOKENSMITH_NO_NATIVE === "1") finish(false, "opt-out: TOKENSMITH_NO_NATIVE=1");
  if (process.platform !== "linux" && process.platform !== "darwin") finish(false, `unsupported: ${process.platform}`);
  // Official Node tarballs and distribution packages ship include/node next to bin/node; npm's
  // nodedir setting (a headers-only download) is looked at too.
  const headers = [process.env.npm_config_nodedir, path.join(path.dirname(process.execPath), "..")]
    .filter(Boolean)
    .map((each) => path.join(each, "include", "node"))
    .find((each) => fs.existsSync(path.join(each, "node_api.h")));
  if (!headers) finish(false, "no headers: Node's node_api.h is not installed");

  fs.mkdirSync(dir, { recursive: true });
  const compiler = process.env.CC || "cc";
  // Compiled next to its place, then renamed into it: a reader never loads a half-written file.
  const partial = `${output}.${process.pid}.tmp`;
  const args = ["-O2", "-shared", "-fPIC", "-Wall", "-Wextra", "-Werror", `-I${headers}`, source, "-o", partial];
  // macOS: N-API's symbols are resolved against the running node at load time.
  if (process.platform === "darwin") args.push("-undefined", "dynamic_lookup");
  const compiled = spawnSync(compiler, args, { encoding: "utf8", timeout: 120_000 });
  if (compiled.error?.code === "ENOENT") finish(false, `no compiler: ${compiler} not found`);
  if (compiled.error || compiled.status !== 0) {
    fs.rmSync(partial, { force: true });
    finish(false, `compile failed: ${compiled.error?.message ?? ((compiled.stderr || compiled.stdout).trim().split("\n")[0] || `exit ${compiled.status}`)}`);
  }
  fs.renameSync(partial, output);
  finish(true, null);
} catch (error) {
  finish(false, `error: ${error instanceof Error ? error.message : String(error)}`);
}
