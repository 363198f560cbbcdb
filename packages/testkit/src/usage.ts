/**
 * A usage series' counts summed over all its buckets. Tests compare these, not the last bucket:
 * requests made a moment before an hour (or day) turns land in the bucket before the last one.
 */
export function usageTotals(buckets: readonly object[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const bucket of buckets) {
    for (const [key, value] of Object.entries(bucket)) if (typeof value === "number") sums[key] = (sums[key] ?? 0) + value;
  }
  return sums;
}
