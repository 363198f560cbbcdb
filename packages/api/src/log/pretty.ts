import fs from "node:fs";

const LEVEL_WIDTH = 5;
const SKIPPED = new Set(["level", "time", "pid", "msg"]);

/** Control characters, and the line and paragraph separators some terminals break lines at. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const escapeText = (text: string) => text.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

function value(v: unknown): string {
  if (typeof v === "string") return /^[\w.:/@+-]*$/.test(v) && v !== "" ? v : escapeText(JSON.stringify(v));
  if (typeof v === "object" && v !== null) {
    const { stack, ...rest } = v as { stack?: unknown };
    // An error's stack, indented under its line: one escaped line per frame, so it cannot pass for a record.
    return escapeText(JSON.stringify(rest)) + (typeof stack === "string" ? `\n${stack.split("\n").map((l) => `    ${escapeText(l)}`).join("\n")}` : "");
  }
  return String(v);
}

/** One pino JSON record as a line for people: `12:00:00.000 INFO  message key=value …`. */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return escapeText(json.trimEnd()) + "\n";
  }
  const time = typeof record.time === "string" ? record.time.slice(11, 23) : "";
  const level = String(record.level ?? "").toUpperCase().padEnd(LEVEL_WIDTH);
  const fields = Object.entries(record)
    .filter(([key, v]) => !SKIPPED.has(key) && v !== undefined)
    .map(([key, v]) => `${key}=${value(v)}`);
  return `${time} ${level} ${escapeText(String(record.msg ?? ""))}${fields.length ? ` ${fields.join(" ")}` : ""}\n`;
}

/** LOG_FORMAT=pretty: each record written at once (for people at a terminal, not for throughput). */
export function prettyStream(fd: 1 | 2): { write(line: string): void; flush?(): void } {
  return { write: (line) => void fs.writeSync(fd, prettyLine(line)) };
}
