import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { request, basicAuth, startServer, testDatabase, type RunningServer } from "./support/server.js";

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

const argv = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
const environ = (pid: number) => fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");

describe("pnpm start (scripts/start.sh)", () => {
  it("runs the server itself (same pid) with the heap sized for a service, and serves", async () => {
    const server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" }, { startScript: true });
    running.push(server);
    const pid = server.process.pid!;
    expect(argv(pid)).toEqual(expect.arrayContaining(["--liftoff-only", "--max-old-space-size=512", "--max-semi-space-size=8", "apps/web/dist/server.js"]));
    expect(environ(pid)).toContain("MALLOC_ARENA_MAX=2");
    const created = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: basicAuth("admin", "admin-password-1"), body: { jwt_token_description: "s", jwt_token_life: "1 hour" } });
    expect(created.status).toBe(201);
  });

  it("leaves the heap sizes to NODE_OPTIONS when it names them, in either spelling", async () => {
    const server = await startServer(
      {
        DATABASE_URL: (await testDatabase()).url,
        ADMIN_PASSWORD: "admin-password-1",
        NODE_OPTIONS: "--max_old_space_size=300 --max-semi-space-size=16",
        MALLOC_ARENA_MAX: "4",
      },
      { startScript: true },
    );
    running.push(server);
    const pid = server.process.pid!;
    expect(argv(pid).some((arg) => /max[-_]old[-_]space|max[-_]semi[-_]space/.test(arg))).toBe(false);
    expect(argv(pid)).toContain("--liftoff-only");
    expect(environ(pid)).toContain("MALLOC_ARENA_MAX=4");
  });
});
