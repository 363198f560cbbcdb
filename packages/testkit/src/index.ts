export { startPostgresCluster, freePort, type PostgresCluster } from "./postgres.js";
export { createTestDatabase, testDatabaseKind, type TestDatabase, type TestDatabaseKind } from "./databases.js";
export { startNginx, type Nginx } from "./nginx.js";
export { startServer, TEST_MASTER_SECRET, type RunningServer } from "./server.js";
export { usageTotals, refuseUsageRowsOf, type RawExecutor } from "./usage.js";
export { cheapPasswordHash } from "./passwords.js";
