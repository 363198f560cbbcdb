import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The request line is serialized by logRequestLine, not by pino: it must be the line pino would
// write, for any value, and nothing gathered for a batch may be lost when the process exits.
const LOGGER = fileURLToPath(new URL("../dist/log/logger.js", import.meta.url));

/** stdout of a node process (a pipe: the JSON format) that runs `code` with the built logger. */
function run(code: string): string[] {
  const script = `const { logger, logRequestLine } = await import(${JSON.stringify(LOGGER)}); ${code}`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(result.stderr).toBe("");
  return result.stdout.split("\n").filter(Boolean);
}

const hostile = {
  method: "GET",
  route: "v1alpha.token",
  status: 200,
  duration_ms: 0.125,
  request_id: "r-1",
  user_id: undefined,
  token_id: "t-1",
  ip: "203.0.113.7",
  user_agent: 'evil"\n{"level":"info","msg":"forged"}\u2028\u0000\\ é 😀',
};

describe("logRequestLine", () => {
  it("writes what pino writes for the same fields: same keys, order and escaping, one line", () => {
    const lines = run(`const fields = ${JSON.stringify(hostile)}; logRequestLine("info", fields); logger().info(fields, "request"); logRequestLine("debug", {}); logger().flush();`);
    expect(lines).toHaveLength(2); // the debug line is below the level: nothing
    const [ours, pinos] = lines.map((line) => JSON.parse(line!));
    expect(Object.keys(ours)).toEqual(Object.keys(pinos));
    expect(Object.keys(ours)).toEqual(["level", "time", "pid", "method", "route", "status", "duration_ms", "request_id", "token_id", "ip", "user_agent", "msg"]);
    expect({ ...ours, time: 0 }).toEqual({ ...pinos, time: 0 });
    expect(ours.user_agent).toBe(hostile.user_agent);
  });

  it("writes out the lines still gathered for a batch when the process exits, by process.exit or by running out of work", () => {
    const many = `for (let i = 0; i < 25; i++) logRequestLine("info", { request_id: "r" + i });`;
    for (const end of ["process.exit(0);", ""]) {
      const lines = run(`${many} ${end}`);
      expect(lines.map((line) => JSON.parse(line).request_id)).toEqual(Array.from({ length: 25 }, (_, i) => `r${i}`));
    }
  });
});
