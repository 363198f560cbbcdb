import type { MetricValueWithName } from "prom-client";

/** The shape prom-client's Registry reads from a metric (its MetricObjectWithValues). */
interface Exported {
  name: string;
  help: string;
  type: "histogram";
  values: MetricValueWithName<string>[];
  aggregator: "sum";
}

/** Upper bounds (seconds): the API answers in well under a millisecond; pages and writes take longer. */
export const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Series {
  route: string;
  status: string;
  /** Per bucket (the last one: above every bound); cumulated only when exported. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

/**
 * Request latency by route group and status, as a Prometheus histogram. prom-client's own
 * Histogram hashes its label object on every observe (measured: ~2 µs a request here); this keeps
 * the series in nested Maps keyed by the route group (a short constant string) and the status
 * (a number), and builds prom-client's export shape only when scraped. Registered like any metric
 * of the registry, so the text format, HELP/TYPE and cluster aggregation are prom-client's.
 */
export class RequestHistogram {
  readonly type = "histogram" as const;
  readonly aggregator = "sum" as const;
  private readonly series = new Map<string, Map<number, Series>>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  observe(route: string, status: number, seconds: number): void {
    let byStatus = this.series.get(route);
    if (byStatus === undefined) this.series.set(route, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (series === undefined) {
      series = { route, status: String(status), buckets: new Float64Array(REQUEST_BUCKETS.length + 1), sum: 0, count: 0 };
      byStatus.set(status, series);
    }
    let bucket = 0;
    while (bucket < REQUEST_BUCKETS.length && seconds > REQUEST_BUCKETS[bucket]!) bucket++;
    series.buckets[bucket]!++;
    series.sum += seconds;
    series.count++;
  }

  /** What prom-client's Registry reads from a metric. */
  async get(): Promise<Exported> {
    const values: MetricValueWithName<string>[] = [];
    for (const byStatus of this.series.values()) {
      for (const { route, status, buckets, sum, count } of byStatus.values()) {
        let cumulated = 0;
        REQUEST_BUCKETS.forEach((le, i) => {
          cumulated += buckets[i]!;
          values.push({ metricName: `${this.name}_bucket`, labels: { route, status, le }, value: cumulated });
        });
        values.push({ metricName: `${this.name}_bucket`, labels: { route, status, le: "+Inf" }, value: count });
        values.push({ metricName: `${this.name}_sum`, labels: { route, status }, value: sum });
        values.push({ metricName: `${this.name}_count`, labels: { route, status }, value: count });
      }
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
