#!/usr/bin/env node
// `tokensmith-postgres`: starts a throwaway cluster, prints its URL, and stops it (removing its
// data) on SIGTERM or SIGINT — scripts/test.sh shares one cluster with every suite of a run.
import { startPostgresCluster } from "./postgres.js";

const cluster = await startPostgresCluster();
console.log(cluster.url());
const stop = () => {
  cluster.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
setInterval(() => {}, 1 << 30);
