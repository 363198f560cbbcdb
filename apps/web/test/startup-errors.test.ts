import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_MASTER_SECRET, testDatabase } from "./support/server.js";

// What a newcomer meets when the start goes wrong: one line saying what to change, and an exit
// code a supervisor can tell apart (2: configuration, fix it before trying again; 1: the port).
const SERVER = fileURLToPath(new URL("../dist/server.js", import.meta.url));
const STACK_FRAME = /\n\s+at /;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-start-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs the server until it exits (it must: each case here stops it at start). */
function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER], { env: { PATH: process.env.PATH ?? "", LOG_FORMAT: "json", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not exit within 20 s:\n${stdout}${stderr}`));
    }, 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port some other process holds. */
async function takenPort(host = "127.0.0.1"): Promise<number> {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, host, resolve));
  cleanups.push(() => holder.close());
  return (holder.address() as net.AddressInfo).port;
}

/** The fatal JSON line the server logged last, and that nothing but log lines was printed. */
function fatalLine(stdout: string, stderr: string): string {
  expect(stderr).toBe("");
  expect(stdout).not.toMatch(STACK_FRAME);
  const records = stdout.trim().split("\n").map((line) => JSON.parse(line) as { level: string; msg: string });
  const last = records.at(-1)!;
  expect(last.level).toBe("fatal");
  return last.msg;
}

describe("the master secret file (TOKENSMITH_SECRET_FILE)", () => {
  it.each([
    ["missing", (dir: string) => path.join(dir, "no-such-file"), /^Configuration error: TOKENSMITH_SECRET_FILE \/.*\/no-such-file does not exist\n$/],
    ["a directory", (dir: string) => dir, /^Configuration error: TOKENSMITH_SECRET_FILE \/\S+ cannot be read \(EISDIR\)\n$/],
    [
      "too short",
      (dir: string) => (fs.writeFileSync(path.join(dir, "short"), "abc\n", { mode: 0o600 }), path.join(dir, "short")),
      /^Configuration error: TOKENSMITH_SECRET_FILE \/\S+\/short: the master secret must be at least 32 characters long\n$/,
    ],
  ])("%s: one line, exit 2", async (_, file, message) => {
    const result = await run({ DATABASE_URL: (await testDatabase()).url, TOKENSMITH_SECRET_FILE: file(tempDir()) });
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(2);
  });

  it("a SQLite database whose directory cannot be made (so neither can the secret beside it): one line, exit 2", async () => {
    const file = path.join(tempDir(), "not-a-directory");
    fs.writeFileSync(file, "");
    const result = await run({ DATABASE_URL: `file:${file}/tokensmith.db` });
    expect(result.stderr).toMatch(/^Configuration error: The master secret file \/\S+\/not-a-directory\/tokensmith\.secret cannot be created \(EEXIST\): its directory must be a directory the server can write to\n$/);
    expect(result.code).toBe(2);
  });
});

describe("a port another process holds", () => {
  it("PORT: one fatal line naming the address and the setting, exit 1", async () => {
    const port = await takenPort();
    const result = await run({ DATABASE_URL: (await testDatabase()).url, TOKENSMITH_SECRET: TEST_MASTER_SECRET, HOST: "127.0.0.1", PORT: String(port) });
    expect(fatalLine(result.stdout, result.stderr)).toBe(
      `127.0.0.1:${port} is already in use (another Tokensmith, or another program, listens there): stop it, or set PORT to a free port`,
    );
    expect(result.code).toBe(1);
  });

  it("METRICS_PORT: the same, naming METRICS_PORT", async () => {
    const port = await takenPort();
    const result = await run({ DATABASE_URL: (await testDatabase()).url, TOKENSMITH_SECRET: TEST_MASTER_SECRET, HOST: "127.0.0.1", PORT: "0", METRICS_PORT: String(port) });
    expect(fatalLine(result.stdout, result.stderr)).toBe(
      `127.0.0.1:${port} is already in use (another Tokensmith, or another program, listens there): stop it, or set METRICS_PORT to a free port`,
    );
    expect(result.code).toBe(1);
  });

  it("under WORKERS: each worker says it in one line, and the server stops with exit 1", async () => {
    const port = await takenPort();
    const result = await run({ DATABASE_URL: (await testDatabase()).url, TOKENSMITH_SECRET: TEST_MASTER_SECRET, HOST: "127.0.0.1", PORT: String(port), WORKERS: "2" });
    expect(result.stderr).toBe("");
    expect(result.stdout).not.toMatch(STACK_FRAME);
    const fatal = result.stdout.trim().split("\n").map((line) => JSON.parse(line)).filter((record) => record.level === "fatal");
    expect(fatal.length).toBeGreaterThanOrEqual(1);
    for (const record of fatal) expect(record.msg).toContain(`127.0.0.1:${port} is already in use`);
    expect(result.code).toBe(1);
  });
});

describe("lines logged before an exit", () => {
  it("all come out, in order, before the process exits: a long line still being written is not overtaken", async () => {
    // 4 MB: written in many chunks, so the write is still in flight when the fatal line follows.
    const script = `import { configureLogging, flushLogs, log } from "@tokensmith/api";
      configureLogging({ level: "info", format: "json" });
      log.info("x".repeat(4_000_000));
      log.fatal("the last line");
      await flushLogs();
      process.exit(1);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    const records = stdout.trim().split("\n").map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(records.map((record) => [record.level, record.msg.length])).toEqual([["info", 4_000_000], ["fatal", "the last line".length]]);
    expect(code).toBe(1);
  });
});
