import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";

/**
 * Webhook host names are resolved with getaddrinfo, which runs on libuv's thread pool: four
 * threads by default, the same ones scrypt (passwords) and ES256 signing (every token) need. A
 * user can point an endpoint at a name whose DNS never answers, and a stuck lookup holds its thread
 * for the resolver's whole timeout (10 s and more). So at most two lookups run at once, whatever
 * the number of deliveries and endpoint creations waiting — the other threads stay free — and no
 * caller waits more than LOOKUP_DEADLINE_MS, queue included: it gets ETIMEOUT (a failed attempt,
 * retried with backoff). A slot is given back only when its lookup really ends, timed out or not.
 */
export const MAX_LOOKUPS_IN_FLIGHT = 2;
export const LOOKUP_DEADLINE_MS = 5000;

let inFlight = 0;
const waiting = new Set<() => void>();

function release(): void {
  inFlight--;
  const [next] = waiting;
  if (next) {
    waiting.delete(next);
    next();
  }
}

/** dns.lookup(hostname, { all: true, verbatim: true }), bounded as above. */
export function lookupHost(hostname: string, deadlineMs = LOOKUP_DEADLINE_MS): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    const start = () => {
      inFlight++;
      lookup(hostname, { all: true, verbatim: true }).then(
        (addresses) => {
          release();
          settle(() => resolve(addresses));
        },
        (error: unknown) => {
          release();
          settle(() => reject(error));
        },
      );
    };
    const timer = setTimeout(() => {
      // Still queued: it never starts. Already running: its slot stays taken until it ends.
      waiting.delete(start);
      settle(() => reject(Object.assign(new Error(`lookup of ${hostname} timed out`), { code: "ETIMEOUT" })));
    }, deadlineMs);
    timer.unref();
    if (inFlight < MAX_LOOKUPS_IN_FLIGHT) start();
    else waiting.add(start);
  });
}
