import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ROOT } from "./podman.js";

/**
 * The compose files, read as an engine reads them, and each service turned into the `podman run`
 * flags that mean the same thing. There is no compose engine on these machines (no Docker daemon;
 * podman-compose cannot make its network here), so the tests run the services with these flags:
 * a key this does not know fails the test rather than be skipped, and what it drops on purpose is
 * listed (ports, restart, depends_on, build: see docs/guides/deployment.md#how-it-is-tested).
 */
export type Service = Record<string, any>;
export interface Compose {
  file: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
}

export function readCompose(name: string): Compose {
  const file = path.join(ROOT, "deploy/compose", name);
  const compose = parse(fs.readFileSync(file, "utf8"), { merge: true }) as Omit<Compose, "file">;
  return { ...compose, file };
}

/** ${NAME}, ${NAME:-default} and ${NAME:?message}, as compose interpolates them. */
export function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    const set = env[name];
    if (set !== undefined && set !== "") return set;
    if (kind === "-") return rest ?? "";
    throw new Error(`${name} is not set${kind === "?" ? `: ${rest}` : ""}`);
  });
}

/** The environment a service gets, interpolated. */
export function environmentOf(service: Service, env: Record<string, string>): Record<string, string> {
  const raw = (service.environment ?? {}) as Record<string, string | number>;
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, interpolate(String(value), env)]));
}

const DROPPED = new Set(["image", "build", "ports", "restart", "depends_on"]);

/**
 * `podman run` flags for a service. `volumes` maps each named volume to the one the test made, and
 * `secrets` each secret to the file the test made; `env` interpolates; `extraEnv` adds or replaces
 * variables (HOST and PORT for host networking, the test's own database).
 */
export function runFlags(
  compose: Compose,
  name: string,
  opts: { volumes?: Record<string, string>; secrets?: Record<string, string>; env?: Record<string, string>; extraEnv?: Record<string, string> },
): string[] {
  const service = compose.services[name];
  if (!service) throw new Error(`${path.basename(compose.file)} has no service ${name}`);
  const flags: string[] = [];
  for (const [key, value] of Object.entries(service)) {
    if (DROPPED.has(key)) continue;
    switch (key) {
      case "environment":
        for (const [variable, text] of Object.entries({ ...environmentOf(service, opts.env ?? {}), ...opts.extraEnv })) flags.push("-e", `${variable}=${text}`);
        break;
      case "volumes":
        for (const spec of value as string[]) {
          const [source, target, mode] = spec.split(":") as [string, string, string?];
          const host = source.startsWith(".") ? path.resolve(path.dirname(compose.file), source) : opts.volumes?.[source];
          if (!host) throw new Error(`no volume given for ${source}`);
          flags.push("-v", [host, target, ...(mode ? [mode] : [])].join(":"));
        }
        break;
      case "secrets":
        for (const secret of value as string[]) {
          const file = compose.secrets?.[secret]?.file;
          if (!file) throw new Error(`secret ${secret} has no file`);
          // As compose mounts a file secret: read-only, at /run/secrets/NAME.
          flags.push("-v", `${opts.secrets?.[secret] ?? path.resolve(path.dirname(compose.file), file)}:/run/secrets/${secret}:ro`);
        }
        break;
      case "read_only":
        if (value === true) flags.push("--read-only");
        break;
      case "tmpfs":
        for (const target of value as string[]) flags.push("--tmpfs", target);
        break;
      case "cap_drop":
        for (const capability of value as string[]) flags.push("--cap-drop", capability);
        break;
      case "security_opt":
        for (const option of value as string[]) flags.push("--security-opt", option);
        break;
      case "stop_grace_period":
        flags.push("--stop-timeout", String(seconds(value as string)));
        break;
      default:
        throw new Error(`${path.basename(compose.file)}: service ${name} sets ${key}, which the tests do not translate: teach support/compose.ts what it means`);
    }
  }
  return flags;
}

/** "30s", "1m30s": compose's durations, in seconds. */
export function seconds(duration: string): number {
  const match = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  if (!match || duration === "") throw new Error(`duration ${duration} not understood`);
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}
