import { describe, expect, it } from "vitest";
import { prettyLine } from "../src/log/pretty.js";

// LOG_FORMAT=pretty: whatever a record holds, it stays one line that no value can forge.
const record = (fields: Record<string, unknown>) => JSON.stringify({ level: "info", time: "2026-12-06T10:11:12.345Z", pid: 7, ...fields });

describe("prettyLine", () => {
  it("prints time, level and message, then the fields, simple values bare and others quoted", () => {
    expect(prettyLine(record({ msg: "request", method: "GET", status: 200, user_agent: "curl/8.5 (x)" }))).toBe(
      '10:11:12.345 INFO  request method=GET status=200 user_agent="curl/8.5 (x)"\n',
    );
  });

  it("escapes control characters, escape sequences and line separators in the message and every field", () => {
    const line = prettyLine(record({ msg: "a\nb\u2028c\u001b[31m", ua: 'x"\u2029y\tz\r' }));
    expect(line.split("\n")).toHaveLength(2);
    expect(line).not.toMatch(/[\u2028\u2029\u001b\r\t]/);
    expect(line).toBe('10:11:12.345 INFO  a\\nb\\u2028c\\u001b[31m ua="x\\"\\u2029y\\tz\\r"\n');
  });

  it("indents an error's stack under its line", () => {
    const line = prettyLine(record({ level: "error", msg: "[web] request failed", err: { type: "Error", message: "boom", stack: "Error: boom\n    at f (x.js:1:1)" } }));
    expect(line).toBe('10:11:12.345 ERROR [web] request failed err={"type":"Error","message":"boom"}\n    Error: boom\n        at f (x.js:1:1)\n');
  });
});
