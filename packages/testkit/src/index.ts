export { startPostgresCluster, freePort, type PostgresCluster } from "./postgres.js";
export { createTestDatabase, testDatabaseKind, type TestDatabase, type TestDatabaseKind } from "./databases.js";
export { startNginx, type Nginx } from "./nginx.js";
export { startServer, TEST_FEED_KEY, TEST_MASTER_SECRET, type RunningServer } from "./server.js";
export { usageTotals, refuseUsageRowsOf, type RawExecutor } from "./usage.js";
export { importSpecter, importSpecterAsync, specterSign, specterUsers, writeFiles, type SpecterUserSpec } from "./specter.js";
export { startCaddy, type Caddy } from "./caddy.js";
export { ORDERS_ONLY_ESCAPES } from "./path-attacks.js";
export { seedTokens, type ParamExecutor, type SeededTokens } from "./seed.js";
