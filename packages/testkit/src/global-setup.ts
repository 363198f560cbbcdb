import { startPostgresCluster } from "./postgres.js";

/**
 * vitest globalSetup: when the suite runs against PostgreSQL and nobody started a cluster for it
 * (scripts/test.sh starts one per run and shares it), start one for this package's run.
 */
export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.TOKENSMITH_TEST_DATABASE !== "postgres" || process.env.TOKENSMITH_TEST_POSTGRES_URL) return undefined;
  const cluster = await startPostgresCluster();
  process.env.TOKENSMITH_TEST_POSTGRES_URL = cluster.url();
  return () => cluster.stop();
}
