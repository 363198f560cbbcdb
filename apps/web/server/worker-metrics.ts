import { AggregatorRegistry } from "prom-client";
import type { Metrics } from "@tokensmith/api";

/**
 * WORKERS=N: each worker answers the primary's requests for its metrics (prom-client's cluster
 * messages), and the primary's /metrics adds them up — each metric as it says (counters and
 * histograms summed; the outbox, read from the one database by every worker, taken once).
 */
export function shareWorkerMetrics(metrics: Metrics): void {
  AggregatorRegistry.setRegistries([metrics.registry]);
  // Constructing one installs the worker's message handler (prom-client does it only there).
  new AggregatorRegistry();
}

/** The primary's view: every worker's metrics, aggregated. */
export function clusterMetrics(): () => Promise<string> {
  const registry = new AggregatorRegistry();
  return async () => (await registry.clusterMetrics()) as string;
}
