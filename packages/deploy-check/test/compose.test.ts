import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { environmentOf, interpolate, readCompose, runFlags, seconds } from "./support/compose.js";
import { ROOT } from "./support/podman.js";

// What can be checked of the compose files without a compose engine (none runs on these machines):
// every service translates into podman flags (image.test.ts runs compose.yaml's that way), and the
// PostgreSQL setup's parts agree with each other, with the image and with the tested nginx shape.
const single = readCompose("compose.yaml");
const several = readCompose("compose.postgres.yaml");
const read = (relative: string) => fs.readFileSync(path.join(ROOT, relative), "utf8");
const INSTANCES = ["tokensmith-1", "tokensmith-2", "tokensmith-3"];
/** What the Containerfile sets: the port the server listens on, and where its data lives. */
const containerfile = read("Containerfile");
const IMAGE_PORT = /ENV .*\bPORT=(\d+)/.exec(containerfile)?.[1];
const IMAGE_VOLUME = /^VOLUME (\S+)$/m.exec(containerfile)?.[1];

describe("compose.yaml (one instance, SQLite)", () => {
  const service = single.services.tokensmith!;

  it("builds this repository's Containerfile and keeps /data on a named volume", () => {
    expect(Object.keys(single.services)).toEqual(["tokensmith"]);
    expect(path.resolve(path.dirname(single.file), service.build.context)).toBe(ROOT);
    expect(fs.existsSync(path.join(ROOT, service.build.dockerfile))).toBe(true);
    expect(IMAGE_VOLUME).toBe("/data");
    expect(service.volumes).toEqual([`tokensmith-data:${IMAGE_VOLUME}`]);
    expect(Object.keys(single.volumes ?? {})).toEqual(["tokensmith-data"]);
  });

  it("publishes the image's port on loopback only, and waits longer than the server's drain", () => {
    expect(IMAGE_PORT).toBe("3000");
    expect(service.ports).toEqual([`127.0.0.1:3000:${IMAGE_PORT}`]);
    expect(seconds(service.stop_grace_period)).toBeGreaterThan(25);
  });

  it("translates whole into podman flags (what image.test.ts runs)", () => {
    const flags = runFlags(single, "tokensmith", { volumes: { "tokensmith-data": "v" } });
    expect(flags).toEqual([
      "-e", "PUBLIC_URL=http://localhost:3000",
      "-v", "v:/data",
      "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
      "--stop-timeout", "30",
    ]);
  });

  it("is shown verbatim in the deployment guide", () => {
    expect(read("docs/guides/deployment.md")).toContain(read("deploy/compose/compose.yaml").trimEnd());
  });
});

describe("compose.postgres.yaml (three instances on PostgreSQL behind nginx)", () => {
  const env = { POSTGRES_PASSWORD: "p4ssw0rd" };
  const instances = INSTANCES.map((name) => several.services[name]!);
  const postgres = several.services.postgres!;
  const nginx = several.services.nginx!;

  it("runs the same image with the same settings three times", () => {
    expect(Object.keys(several.services).sort()).toEqual([...INSTANCES, "nginx", "postgres"].sort());
    for (const instance of instances) expect(instance).toEqual(instances[0]);
    expect(instances[0]!.image).toBe(single.services.tokensmith!.image);
    expect(instances[0]!.build).toEqual(single.services.tokensmith!.build);
  });

  it("points every instance at the postgres service, with its user, database and password", () => {
    const settings = environmentOf(instances[0]!, env);
    const database = new URL(settings.DATABASE_URL!);
    const server = environmentOf(postgres, env);
    expect(database.protocol).toBe("postgresql:");
    expect(database.hostname).toBe("postgres");
    expect(database.port).toBe("5432");
    expect(database.username).toBe(server.POSTGRES_USER);
    expect(database.password).toBe(server.POSTGRES_PASSWORD);
    expect(database.pathname).toBe(`/${server.POSTGRES_DB}`);
    // Unset, the password stops compose with a message instead of an empty password.
    expect(() => interpolate(instances[0]!.environment.DATABASE_URL, {})).toThrow(/POSTGRES_PASSWORD is not set: set POSTGRES_PASSWORD in \.env/);
    expect(instances[0]!.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    expect(postgres.healthcheck.test).toEqual(["CMD", "pg_isready", "-U", server.POSTGRES_USER, "-d", server.POSTGRES_DB]);
  });

  it("gives every instance the same master secret, from a file compose mounts (never from the repository)", () => {
    const settings = environmentOf(instances[0]!, env);
    expect(instances[0]!.secrets).toEqual(["tokensmith_secret"]);
    expect(settings.TOKENSMITH_SECRET_FILE).toBe("/run/secrets/tokensmith_secret");
    expect(several.secrets?.tokensmith_secret?.file).toBe("./secrets/tokensmith.secret");
    const ignored = execFileSync("git", ["check-ignore", "deploy/compose/secrets/tokensmith.secret", "deploy/compose/.env"], { cwd: ROOT, encoding: "utf8" });
    expect(ignored.trim().split("\n")).toEqual(["deploy/compose/secrets/tokensmith.secret", "deploy/compose/.env"]);
  });

  it("puts nginx, the one proxy (TRUST_PROXY=1), in front once every instance is healthy", () => {
    expect(environmentOf(instances[0]!, env).TRUST_PROXY).toBe("1");
    expect(nginx.volumes).toEqual(["./nginx.conf:/etc/nginx/conf.d/default.conf:ro"]);
    expect(nginx.depends_on).toEqual(Object.fromEntries(INSTANCES.map((name) => [name, { condition: "service_healthy" }])));
    expect(nginx.ports).toEqual(["127.0.0.1:8080:80"]);
  });

  it("uses deploy/nginx/instances.conf's tested configuration, with the services' names", () => {
    const conf = read("deploy/compose/nginx.conf");
    const servers = [...conf.matchAll(/^\s+server (\S+);$/gm)].map((match) => match[1]);
    expect(servers).toEqual(INSTANCES.map((name) => `${name}:${IMAGE_PORT}`));
    // The rest is the tested file's, line for line (comments aside).
    const shape = (text: string) => text.split("\n").filter((line) => !/^\s*#/.test(line) && !/^\s+server \S+;$/.test(line)).join("\n").trim();
    expect(shape(conf)).toBe(shape(read("deploy/nginx/instances.conf")));
  });

  it("translates whole into podman flags", () => {
    for (const name of INSTANCES) expect(() => runFlags(several, name, { env })).not.toThrow();
    expect(() => runFlags(several, "nginx", { env })).not.toThrow();
  });
});
