import { escapeUnsafeText } from "@tokensmith/core";

export class UsageError extends Error {}

/**
 * Lines of a plain table: columns padded to their widest cell. Cells are what the database holds
 * (a description stored by any release, a name): each is escaped whole, newlines too, so none can
 * drive the terminal or forge a row.
 */
export function table(header: string[], cells: string[][]): string {
  const rows = cells.map((row) => row.map((cell) => escapeUnsafeText(cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

