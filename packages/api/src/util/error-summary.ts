/** An error's first non-empty message line: what a log says of an expected failure (no stack, no query dump). */
export function errorSummary(error: unknown): string | undefined {
  return (error as Error | null)?.message?.split("\n").find((line) => line.trim() !== "");
}
