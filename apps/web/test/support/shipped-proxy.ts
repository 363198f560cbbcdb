import fs from "node:fs";
import { fileURLToPath } from "node:url";

/** The proxy configs we ship (and the docs show), each with the example address it listens on. */
const SHIPPED = {
  nginx: { file: "../../../../deploy/nginx/forward-auth.conf", listen: "listen 80;", onLoopback: "listen 127.0.0.1:{{port}};" },
  caddy: { file: "../../../../deploy/caddy/Caddyfile", listen: "api.example.com {", onLoopback: "http://127.0.0.1:{{port}} {" },
} as const;

/**
 * A shipped proxy config as it is, run on loopback: it listens on the port startNginx/startCaddy
 * fill in, and reaches Tokensmith and the API (`host:port` each) where the example says
 * 127.0.0.1:3000 and 127.0.0.1:8080.
 */
export function shippedProxyConfig(proxy: keyof typeof SHIPPED, addresses: { tokensmith: string; api: string }): string {
  const { file, listen, onLoopback } = SHIPPED[proxy];
  return fs
    .readFileSync(fileURLToPath(new URL(file, import.meta.url)), "utf8")
    .replace(listen, onLoopback)
    .replaceAll("127.0.0.1:3000", addresses.tokensmith)
    .replaceAll("127.0.0.1:8080", addresses.api);
}
