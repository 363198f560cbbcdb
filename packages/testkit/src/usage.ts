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

/** What runs raw SQL: a Prisma client (`$executeRawUnsafe`) is enough. */
export interface RawExecutor {
  $executeRawUnsafe(sql: string): Promise<unknown>;
}

/**
 * Makes the database refuse every usage row of one token (a real trigger, as a full disk or a
 * lost connection would refuse a write), on SQLite or PostgreSQL. Returns what lifts the refusal.
 * The token id comes from the test itself, never from outside, hence the inlined text.
 */
export async function refuseUsageRowsOf(db: RawExecutor, postgres: boolean, tokenId: string): Promise<() => Promise<void>> {
  if (postgres) {
    await db.$executeRawUnsafe(
      `CREATE FUNCTION refuse_usage() RETURNS trigger AS $$ BEGIN IF NEW."tokenId" = '${tokenId}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_usage BEFORE INSERT ON "TokenUsage" FOR EACH ROW EXECUTE FUNCTION refuse_usage()`);
    return async () => {
      await db.$executeRawUnsafe(`DROP TRIGGER refuse_usage ON "TokenUsage"`);
      await db.$executeRawUnsafe(`DROP FUNCTION refuse_usage()`);
    };
  }
  await db.$executeRawUnsafe(`CREATE TRIGGER refuse_usage BEFORE INSERT ON "TokenUsage" WHEN NEW."tokenId" = '${tokenId}' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
  return async () => {
    await db.$executeRawUnsafe("DROP TRIGGER refuse_usage");
  };
}
