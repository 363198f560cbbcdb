export type CheckName = "database" | "migrations" | "signing_keys" | "change_listener" | "shutdown";
export type CheckState = "ok" | "failing" | "unknown";

export interface Readiness {
  ready: boolean;
  checks: Partial<Record<CheckName, CheckState>>;
  /** The checks that are not "ok", in the order above. */
  failing: CheckName[];
}

export interface HealthSources {
  /** Whether the newest migration is applied; throws when the database cannot be reached. */
  schemaCurrent: () => Promise<boolean>;
  keysLoaded: () => boolean;
  /** PostgreSQL's change listener; null where there is none (SQLite). */
  listenerLive: (() => boolean) | null;
}

/** The database is asked at most this often, however many probes arrive: /healthz/ready cannot load it. */
export const PROBE_EVERY_MS = 1000;
/** A probe waits this long for the database's answer, then says "failing". */
export const PROBE_TIMEOUT_MS = 2000;

type Probe = { database: CheckState; migrations: CheckState };

/**
 * Whether this instance should be sent requests. One query at most per second and never two at
 * once: the answer is shared by every probe meanwhile, and a database that hangs fails the probe
 * after two seconds while its query is left to finish (no pile-up). Says nothing but check names
 * and states: no error text, host or version.
 */
export class HealthChecks {
  private stopping = false;
  private last: { at: number; probe: Probe } | undefined;
  private inFlight: Promise<Probe> | null = null;

  constructor(private readonly sources: HealthSources) {}

  /** SIGTERM: from now on not ready, so load balancers send nothing new while requests in flight finish. */
  markStopping(): void {
    this.stopping = true;
  }

  async readiness(): Promise<Readiness> {
    const { database, migrations } = await this.probe();
    const checks: Readiness["checks"] = { database, migrations, signing_keys: this.sources.keysLoaded() ? "ok" : "failing" };
    if (this.sources.listenerLive) checks.change_listener = this.sources.listenerLive() ? "ok" : "failing";
    if (this.stopping) checks.shutdown = "failing";
    const failing = (Object.keys(checks) as CheckName[]).filter((name) => checks[name] !== "ok");
    return { ready: failing.length === 0, checks, failing };
  }

  private probe(): Promise<Probe> {
    const now = performance.now();
    if (this.last && now - this.last.at < PROBE_EVERY_MS) return Promise.resolve(this.last.probe);
    this.inFlight ??= this.sources.schemaCurrent().then(
      (current): Probe => ({ database: "ok", migrations: current ? "ok" : "failing" }),
      (): Probe => ({ database: "failing", migrations: "unknown" }),
    ).then((probe) => {
      this.last = { at: performance.now(), probe };
      this.inFlight = null;
      return probe;
    });
    const timeout = new Promise<Probe>((resolve) =>
      setTimeout(() => resolve({ database: "failing", migrations: "unknown" }), PROBE_TIMEOUT_MS).unref(),
    );
    return Promise.race([this.inFlight, timeout]);
  }
}
