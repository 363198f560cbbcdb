import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./postgres.js";

/**
 * A private nginx (Debian's nginx-light, installed by scripts/lib.sh when missing) with a config of
 * our own and nothing from /etc: pid, logs and every temp path live in a temp folder.
 */
export interface Nginx {
  url: string;
  port: number;
  errorLog(): string;
  /** The master's pid (its workers are its children): what a benchmark reads CPU time from. */
  pid(): number;
  stop(): void;
}

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((file) => fs.existsSync(file));

/** `http` is the body of the http {} block; `{{port}}` in it is replaced by the port nginx listens on. */
export async function startNginx(http: string): Promise<Nginx> {
  if (!NGINX) throw new Error("nginx is not installed (Debian: apt-get install nginx-light); `npm test` installs it");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-nginx-"));
  const port = await freePort();
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  const config = `
    daemon on;
    pid ${path.join(dir, "nginx.pid")};
    error_log ${path.join(dir, "error.log")} warn;
    worker_processes 1;
    events { worker_connections 1024; }
    http {
      access_log off;
      ${temp("client_body")} ${temp("proxy")} ${temp("fastcgi")} ${temp("uwsgi")} ${temp("scgi")}
      ${http.replaceAll("{{port}}", String(port))}
    }`;
  const file = path.join(dir, "nginx.conf");
  fs.writeFileSync(file, config);
  const run = (...args: string[]) => {
    const result = spawnSync(NGINX, ["-c", file, "-p", dir, ...args], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`nginx ${args.join(" ")} failed: ${result.stderr}`);
  };
  run();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    errorLog: () => fs.readFileSync(path.join(dir, "error.log"), "utf8"),
    pid: () => Number(fs.readFileSync(path.join(dir, "nginx.pid"), "utf8").trim()),
    stop() {
      try {
        run("-s", "stop");
      } finally {
        setTimeout(() => fs.rmSync(dir, { recursive: true, force: true }), 500).unref();
      }
    },
  };
}
