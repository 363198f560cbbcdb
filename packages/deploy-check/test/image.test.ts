import { randomBytes } from "node:crypto";
import net from "node:net";
import { freePort } from "@tokensmith/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCompose, runFlags, seconds } from "./support/compose.js";
import { IMAGE, ULIMITS, baseImage, buildImage, checkRuntime, inspect, logsOf, ok, podman, preflight, waitHealthy } from "./support/podman.js";

// The Containerfile, built with podman and run as deploy/compose/compose.yaml runs it (its service
// translated into podman's flags: a named volume for /data, a read-only root, no capabilities, no
// new privileges). Host networking and loopback only, so HOST and PORT are set.
const volume = `tokensmith-deploy-check-${randomBytes(4).toString("hex")}`;
const containers: string[] = [];
const compose = readCompose("compose.yaml");
const STOP_GRACE_S = seconds(compose.services.tokensmith!.stop_grace_period);

beforeAll(async () => {
  preflight();
  const base = baseImage();
  await checkRuntime(base);
  const built = await buildImage(base);
  console.log(`[deploy-check] podman build took ${built.seconds} s`);
});

afterAll(async () => {
  if (containers.length > 0) await podman(["rm", "-f", "-t", "0", ...containers]);
  await podman(["volume", "rm", "-f", volume]);
});

async function start(port: number): Promise<string> {
  const flags = runFlags(compose, "tokensmith", {
    volumes: { "tokensmith-data": volume },
    env: { PUBLIC_URL: `http://127.0.0.1:${port}` },
    extraEnv: { HOST: "127.0.0.1", PORT: String(port) },
  });
  const id = await ok(["run", "-d", ...ULIMITS, "--network", "host", ...flags, IMAGE]);
  containers.push(id);
  return id;
}

/** A token create whose body arrives in two halves, `gapMs` apart: in flight all that time. */
function slowCreate(port: number, authorization: string, gapMs: number, halfway: () => void): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ jwt_token_description: "answered while stopping", jwt_token_life: "1 day" });
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(`POST /v1alpha/token/ HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
      halfway();
      setTimeout(() => socket.write(body.slice(10)), gapMs);
    });
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", rest = ""] = text.split("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: rest });
    });
  });
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("the image", () => {
  it("runs as a non-root user, with tini as PID 1, a HEALTHCHECK, and the data on a volume", async () => {
    const image = await inspect<{ Config: Record<string, any>; Healthcheck?: { Test: string[] } }>(IMAGE);
    expect(image.Config.User).toBe("tokensmith");
    expect(image.Config.Entrypoint).toEqual(["/usr/bin/tini", "--"]);
    expect(image.Config.Cmd).toEqual(["bash", "scripts/start.sh"]);
    // Docker keeps it in Config; podman's image inspect at the top level.
    expect((image.Config.Healthcheck ?? image.Healthcheck)?.Test).toEqual(["CMD", "node", "deploy/container/healthcheck.mjs"]);
    expect(Object.keys(image.Config.Volumes)).toEqual(["/data"]);
    expect(image.Config.Env).toContain("DATABASE_URL=file:/data/tokensmith.db");
    // The build secret (this machine's CA bundle) is mounted for single steps, never kept.
    expect(image.Config.Env.join("\n")).not.toMatch(/CA_CERTS|cafile/i);
  });

  it("holds no compiler, package manager, dev dependency, build cache or source", async () => {
    const script = [
      // Any of these found is printed, and fails the test.
      "for tool in cc gcc g++ c++ make python3 pnpm npm npx corepack yarn node-gyp; do command -v $tool; done",
      "ls -d /src /prod /root/.local/share/pnpm /root/.cache /usr/local/include/node /run/secrets /app/apps/web/.next/cache 2>/dev/null",
      "ls /app/node_modules/.pnpm | grep -E '^(typescript|prisma|vitest|@playwright|playwright|turbo|@next\\+swc|@types\\+|tsdown|esbuild|@tailwindcss)(@|\\+)'",
      "find /app -path /app/node_modules -prune -o \\( -name '*.ts' -o -name '*.tsx' -o -name '*.c' -o -name 'tsconfig*.json' \\) -print",
      "find /app/node_modules -name '*.o' -o -name '*.a' -o -name 'binding.gyp'",
    ].join("; ");
    const found = await ok(["run", "--rm", ...ULIMITS, "--network", "host", "--entrypoint", "sh", IMAGE, "-c", script]);
    expect(found).toBe("");
    // What it does run: node, better-sqlite3's addon, and the image's own CLI wrapper.
    const present = await ok(["run", "--rm", ...ULIMITS, "--network", "host", "--entrypoint", "sh", IMAGE, "-c", "for tool in node tini tokensmith; do command -v $tool; done; ls /app/node_modules/.pnpm/better-sqlite3@*/node_modules/better-sqlite3/build/Release/"]);
    expect(present.split("\n")).toEqual(["/usr/local/bin/node", "/usr/bin/tini", "/usr/local/bin/tokensmith", "better_sqlite3.node"]);
  });

  it("serves: healthy, the printed password signs in, a token checks itself; non-root; stops with exit 0; the data survives", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await start(port);
    expect(await waitHealthy(first)).toBe("healthy");

    // The first admin's password, from the banner line (JSON lines: the message holds it).
    const password = /generated password\s+(\S+)/.exec(await logsOf(first))?.[1];
    expect(password).toBeDefined();
    const created = await fetch(`${url}/v1alpha/token/`, {
      method: "POST",
      headers: { authorization: basic("admin", password!), "content-type": "application/json" },
      body: JSON.stringify({ jwt_token_description: "from the container test", jwt_token_life: "1 day" }),
    });
    expect(created.status).toBe(201);
    const { jwt_token: token, jwt_token_id: tokenId } = (await created.json()) as { jwt_token: string; jwt_token_id: string };
    const self = await fetch(`${url}/v1alpha/token/self`, { headers: { authorization: `Bearer ${token}` } });
    expect(self.status).toBe(200);
    expect(await self.json()).toMatchObject({ jwt_token_id: tokenId });
    // The dashboard renders (Next.js loads from the image's production dependencies alone).
    const signIn = await fetch(`${url}/login`);
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain("<html");

    // Every process is the image's user; PID 1 is tini; Node runs with scripts/start.sh's flags.
    const processes = await ok(["top", first, "pid", "user", "args"]);
    const rows = processes.split("\n").slice(1).map((line) => line.trim().split(/\s+/));
    expect(rows.map((row) => row[1])).toEqual(rows.map(() => "tokensmith"));
    expect(rows.find((row) => row[0] === "1")?.slice(2)).toEqual(["/usr/bin/tini", "--", "bash", "scripts/start.sh"]);
    expect(rows.some((row) => row.includes("--max-old-space-size=512") && row.includes("--liftoff-only") && row.includes("apps/web/dist/server.js"))).toBe(true);
    const inside = await ok(["exec", first, "sh", "-c", "id -u; touch /app/x 2>&1 || true; ls -ld /data; ls /data"]);
    expect(inside).toMatch(/^10001\n.*Read-only file system\n/);
    expect(inside).toMatch(/tokensmith tokensmith .* \/data\n/);
    expect(inside).toContain("tokensmith.secret");

    // SIGTERM reaches Node (through tini), which lets a request in flight finish, then exits 0
    // (a kill after the grace period would be 137): a create whose body is still arriving when
    // `podman stop` is sent is answered, and its token is in the database the next container opens.
    let signalled!: () => void;
    const halfway = new Promise<void>((resolve) => (signalled = resolve));
    const slow = slowCreate(port, basic("admin", password!), 4000, () => signalled());
    await halfway;
    await new Promise((resolve) => setTimeout(resolve, 500)); // its headers are read: a request in flight
    await ok(["stop", "-t", String(STOP_GRACE_S), first]);
    const answer = await slow;
    expect(answer.status).toBe(201);
    const stopped = await inspect<{ State: { ExitCode: number } }>(first);
    expect(stopped.State.ExitCode).toBe(0);
    expect(await logsOf(first)).toMatch(/SIGTERM: stopped in \d+ ms/);
    const createdWhileStopping = /"jwt_token":"([^"]+)"/.exec(answer.body)?.[1];
    expect(createdWhileStopping).toBeDefined();

    // A new container on the same volume: the same users, keys and tokens.
    const second = await start(port);
    expect(await waitHealthy(second)).toBe("healthy");
    expect(await logsOf(second)).not.toContain("First start");
    const again = await fetch(`${url}/v1alpha/token/self`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect((await fetch(`${url}/v1alpha/token/self`, { headers: { authorization: `Bearer ${createdWhileStopping}` } })).status).toBe(200);
    expect((await fetch(`${url}/v1alpha/token/`, { headers: { authorization: basic("admin", password!) } })).status).toBe(200);
    // The admin CLI, inside the running container, on the same database.
    const users = await ok(["exec", second, "tokensmith", "user", "list"]);
    expect(users).toContain("admin");
    await ok(["stop", "-t", String(STOP_GRACE_S), second]);
    expect((await inspect<{ State: { ExitCode: number } }>(second)).State.ExitCode).toBe(0);
  });

  it("a configuration error stops the container at once, with the one-line message and exit 2", async () => {
    const id = await ok(["run", "-d", ...ULIMITS, "--network", "host", "-e", "TOKENSMITH_SECRET_FILE=/run/secrets/missing", "-v", `${volume}:/data`, IMAGE]);
    containers.push(id);
    const exited = await ok(["wait", id], 60_000);
    expect(exited).toBe("2");
    expect((await logsOf(id)).trim()).toBe("Configuration error: TOKENSMITH_SECRET_FILE /run/secrets/missing does not exist");
  });
});
