import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./postgres.js";

/**
 * A private Caddy (Debian's caddy, installed by scripts/lib.sh when missing) run in the
 * foreground with a Caddyfile of our own; its autosave and storage go to a temp folder, not $HOME.
 */
export interface Caddy {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

const CADDY = ["/usr/bin/caddy", "/usr/local/bin/caddy"].find((file) => fs.existsSync(file));

/**
 * `sites` is the Caddyfile after the global options; `{{port}}` in it is replaced by the port
 * Caddy listens on. The admin endpoint is off, so several instances never share its port.
 */
export async function startCaddy(sites: string): Promise<Caddy> {
  if (!CADDY) throw new Error("caddy is not installed (Debian: apt-get install caddy); `npm test` installs it");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-caddy-"));
  const port = await freePort();
  const file = path.join(dir, "Caddyfile");
  fs.writeFileSync(file, `{\n\tadmin off\n}\n\n${sites.replaceAll("{{port}}", String(port))}`);
  const child = spawn(CADDY, ["run", "--config", file, "--adapter", "caddyfile"], {
    env: { PATH: process.env.PATH ?? "", HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`caddy did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}`, port, output: () => output, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
