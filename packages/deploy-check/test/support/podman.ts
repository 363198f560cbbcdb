import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(fileURLToPath(new URL("../../../..", import.meta.url)));

/**
 * Podman as it runs on these machines (docs/guides/deployment.md#how-it-is-tested): runc, not crun,
 * which cannot set rlimits here; cgroupfs, as there is no systemd to ask; and rlimits given.
 */
const GLOBAL = ["--runtime", "runc", "--cgroup-manager=cgroupfs"];
export const ULIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];
/** The image the tests build, under a name of their own (a user's `tokensmith` is left alone). */
export const IMAGE = "localhost/tokensmith:deploy-check";

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function podman(args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn("podman", [...GLOBAL, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** podman that must succeed: its stdout, trimmed. */
export async function ok(args: string[], timeoutMs?: number): Promise<string> {
  const result = await podman(args, { timeoutMs });
  if (result.code !== 0) throw new Error(`podman ${args.join(" ")} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result.stdout.trim();
}

/**
 * What a machine needs for these tests, checked up front so that a machine that cannot run
 * containers fails with the reason rather than a puzzle halfway through (scripts/lib.sh
 * ensure_podman installs the tools; these are what installing cannot fix).
 */
export function preflight(): void {
  const missing = ["podman", "runc", "debootstrap"].filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(`The container tests need ${missing.join(", ")}: scripts/test.sh installs them (Debian: apt-get install podman runc debootstrap)`);
  }
  if (process.getuid?.() !== 0) throw new Error("The container tests run podman as root (rootless podman needs subuid ranges this setup does not make)");
  const info = spawnSync("podman", [...GLOBAL, "info", "--format", "{{.Store.GraphDriverName}}"], { encoding: "utf8" });
  if (info.status !== 0) throw new Error(`podman cannot run on this machine (podman info failed):\n${info.stderr}`);
}

/** A container that must run: fails with the runtime's own words (no namespaces, no cgroups…) otherwise. */
export async function checkRuntime(image: string): Promise<void> {
  const result = await podman(["run", "--rm", ...ULIMITS, "--network", "host", image, "true"]);
  if (result.code !== 0) {
    throw new Error(`This machine cannot run containers with podman (runc); the container tests cannot run here:\n${result.stderr}`);
  }
}

/** The local stand-in for node:20-bookworm-slim (scripts/container-base.sh; kept between runs). */
export function baseImage(): string {
  const made = spawnSync("bash", [path.join(ROOT, "scripts/container-base.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 20 * 60_000 });
  if (made.status !== 0) throw new Error(`scripts/container-base.sh failed (exit ${made.status})`);
  return made.stdout.trim().split("\n").at(-1)!;
}

/**
 * Builds the Containerfile as users do, with two differences for this machine: the base image is
 * the local one (build argument NODE_IMAGE), and this machine's CA bundle goes in as the build
 * secret the Containerfile reads (TLS to the npm registry is signed by it here); a secret is
 * never part of a layer. `--format docker` keeps HEALTHCHECK (the OCI format has no such field).
 */
export async function buildImage(base: string): Promise<{ seconds: number; log: string }> {
  const started = performance.now();
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  const secret = ca && fs.existsSync(ca) ? ["--secret", `id=ca-certificates,src=${ca}`] : [];
  const args = ["build", "--format", "docker", ...ULIMITS, "--network", "host", "--pull=never", "--build-arg", `NODE_IMAGE=${base}`, ...secret, "-f", "Containerfile", "-t", IMAGE, ROOT];
  const result = await podman(args, { timeoutMs: 40 * 60_000 });
  const log = result.stdout + result.stderr;
  if (result.code !== 0) throw new Error(`podman build failed (exit ${result.code}):\n${log.slice(-6000)}`);
  return { seconds: Math.round((performance.now() - started) / 1000), log };
}

export async function inspect<T = any>(what: string, format = "json"): Promise<T> {
  const out = await ok(["inspect", what]);
  return format === "json" ? (JSON.parse(out) as T[])[0]! : (out as T);
}

export async function healthStatus(id: string): Promise<string> {
  const state = await inspect<{ State: { Health?: { Status: string }; Healthcheck?: { Status: string } } }>(id);
  return state.State.Health?.Status ?? state.State.Healthcheck?.Status ?? "";
}

/**
 * Runs the image's HEALTHCHECK until it passes (podman's own timers need systemd, which is not
 * running here, so the test runs the check as the timer would). Returns the status podman records.
 */
export async function waitHealthy(id: string, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: Result | undefined;
  while (Date.now() < deadline) {
    last = await podman(["healthcheck", "run", id], { timeoutMs: 30_000 });
    if (last.code === 0) return healthStatus(id);
    const state = await inspect<{ State: { Running: boolean } }>(id);
    if (!state.State.Running) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const logs = await podman(["logs", id]);
  throw new Error(`container ${id} never became healthy: ${last?.stdout}${last?.stderr}\n--- its log:\n${logs.stdout}${logs.stderr}`);
}

export async function logsOf(id: string): Promise<string> {
  const result = await podman(["logs", id]);
  return result.stdout + result.stderr;
}
