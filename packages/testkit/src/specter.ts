import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What a Specter Desktop installation holds, for tests of `tokensmith import specter`: its users.json
 * and tokens, made by specter.py with the libraries Specter uses, and the CLI that imports them.
 */

/** Debian's python3 (with python3-jwt, installed by scripts/test.sh), not whatever python3 is first on PATH. */
const PYTHON = "/usr/bin/python3";
/** From src/ and from dist/ alike. */
const HELPER = fileURLToPath(new URL("../src/specter.py", import.meta.url));
/** The built CLI (apps/cli/dist/cli.js): `pnpm build` comes first. */
const CLI = fileURLToPath(new URL("../../../apps/cli/dist/cli.js", import.meta.url));

function python(args: string[], input: unknown): string {
  const run = spawnSync(PYTHON, [HELPER, ...args], { input: JSON.stringify(input), encoding: "utf8", timeout: 30_000 });
  if (run.status !== 0) throw new Error(`specter.py ${args.join(" ")} failed: ${run.stderr}`);
  return run.stdout;
}

export interface SpecterUserSpec {
  id: string;
  username: string;
  password: string;
  is_admin: boolean;
  tokens?: { description: string; life: number }[];
}

/** A Specter users.json, and its tokens by "<username>/<description>". */
export function specterUsers(secret: string, users: SpecterUserSpec[]): { users: unknown[]; tokens: Record<string, { id: string; token: string }> } {
  return JSON.parse(python(["users"], { secret, users }));
}

/** A JWT signed as Specter signs (HS256 with its secret), over any payload; `alg: "none"` leaves it unsigned. */
export function specterSign(secret: string, payload: Record<string, unknown>, options: { expIn?: number; alg?: "none" } = {}): string {
  return python(["sign"], { secret, payload, ...(options.expIn !== undefined ? { exp_in: options.expIn } : {}), ...(options.alg ? { alg: options.alg } : {}) });
}

/** Files in a fresh temporary folder: what the import command reads. */
export function writeFiles(files: Record<string, string>): { dir: string; path: (name: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-specter-"));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return { dir, path: (name) => path.join(dir, name) };
}

/** `tokensmith import specter …` against the database in `env`, as an operator runs it. */
export function importSpecter(env: Record<string, string>, args: string[]): { code: number | null; out: string; err: string } {
  const run = spawnSync(process.execPath, [CLI, "import", "specter", ...args], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8", timeout: 120_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** The same, without blocking: to run several at once. */
export function importSpecterAsync(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, "import", "specter", ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}
