import type { LookupAddress } from "node:dns";
import { lookup, Resolver } from "node:dns/promises";

/**
 * Webhook host names are resolved by c-ares (`dns.Resolver`), which runs on the event loop. The
 * system resolver (`dns.lookup`, getaddrinfo) runs on libuv's thread pool — four threads, the ones
 * scrypt (passwords) and ES256 signing (every token) need — and a name whose DNS never answers
 * holds its thread for the resolver's whole timeout: a user could stall sign-ins with endpoints on
 * such names. No caller waits more than LOOKUP_DEADLINE_MS.
 *
 * Only a name DNS does not know at all ("localhost", a name in the hosts file of an on-premise
 * install) goes on to the system resolver, at most two at a time, so that path cannot take over
 * the pool either.
 */
export const LOOKUP_DEADLINE_MS = 5000;
export const MAX_SYSTEM_LOOKUPS_IN_FLIGHT = 2;

const NOT_IN_DNS = new Set(["ENOTFOUND", "ENODATA"]);
const timedOut = (hostname: string) => Object.assign(new Error(`lookup of ${hostname} timed out`), { code: "ETIMEOUT" });

export async function lookupHost(hostname: string, deadlineMs = LOOKUP_DEADLINE_MS): Promise<LookupAddress[]> {
  // Loopback by definition (RFC 6761), and answered by the hosts file, not DNS.
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return systemLookup(hostname, deadlineMs);
  const started = Date.now();
  // One resolver per lookup, so the deadline cancels this lookup's queries and no one else's.
  const resolver = new Resolver({ timeout: Math.max(1, Math.floor(deadlineMs / 2)), tries: 2 });
  const timer = setTimeout(() => resolver.cancel(), deadlineMs);
  timer.unref();
  let answers: [PromiseSettledResult<string[]>, PromiseSettledResult<string[]>];
  try {
    answers = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
  } finally {
    clearTimeout(timer);
  }
  const [v4, v6] = answers;
  const addresses: LookupAddress[] = [
    ...(v4.status === "fulfilled" ? v4.value.map((address) => ({ address, family: 4 })) : []),
    ...(v6.status === "fulfilled" ? v6.value.map((address) => ({ address, family: 6 })) : []),
  ];
  if (addresses.length > 0) return addresses;
  const codes = answers.map((answer) => (answer.status === "rejected" ? String((answer.reason as NodeJS.ErrnoException).code) : "ENODATA"));
  if (codes.every((code) => NOT_IN_DNS.has(code))) return systemLookup(hostname, deadlineMs - (Date.now() - started));
  const code = codes.find((c) => !NOT_IN_DNS.has(c))!;
  throw code === "ECANCELLED" || code === "ETIMEOUT" ? timedOut(hostname) : Object.assign(new Error(`lookup of ${hostname} failed`), { code });
}

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

/** getaddrinfo, bounded: at most two at once; a slot is given back only when its lookup ends. */
function systemLookup(hostname: string, deadlineMs: number): Promise<LookupAddress[]> {
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
      let pending: Promise<LookupAddress[]>;
      try {
        pending = lookup(hostname, { all: true, verbatim: true });
      } catch (error) {
        release();
        settle(() => reject(error));
        return;
      }
      pending.then(
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
      settle(() => reject(timedOut(hostname)));
    }, Math.max(0, deadlineMs));
    timer.unref();
    if (inFlight < MAX_SYSTEM_LOOKUPS_IN_FLIGHT) start();
    else waiting.add(start);
  });
}
