import { checkDpopUse, type DpopPresentation } from "@tokensmith/core/dpop";
import { VerifyError } from "./errors.js";

/**
 * DPoP-bound tokens (RFC 9449) in this verifier: core's rule (the server's, the same code) for the
 * scheme and the proof, and replay judged here, in this process's memory only. A proof replayed
 * to another verifier (another process or service) within the window is not caught there: see
 * docs/guides/dpop.md.
 */

/** Proofs remembered at once, by default: ~100 bytes each. Past it, new proofs are refused (503) until old ones expire. */
export const DEFAULT_DPOP_PROOF_CAPACITY = 100_000;
/** Least time between two sweeps of expired proofs (ms): a full store does not cost a sweep per request. */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * Accepted proofs (replayKey → epoch ms until which it must be remembered), at most `capacity`.
 * Fails closed: when full of unexpired proofs it refuses new ones rather than forget one that a
 * replay could then reuse.
 */
export class ProofReplays {
  private readonly until = new Map<string, number>();
  private lastSweep = 0;
  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.until.size;
  }

  /** "claimed" the first time; "replayed" for a proof already accepted; "full" when it cannot be remembered. */
  claim(replayKey: string, rememberUntil: number, now: number): "claimed" | "replayed" | "full" {
    const seen = this.until.get(replayKey);
    if (seen !== undefined && seen > now) return "replayed";
    if (this.until.size >= this.capacity || now - this.lastSweep >= 60_000) this.sweep(now);
    if (this.until.size >= this.capacity) return "full";
    this.until.set(replayKey, rememberUntil);
    return "claimed";
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
  }

  clear(): void {
    this.until.clear();
  }
}

/** What the DPoP check needs of a request: the proof header and the URL it was served at (read only for DPoP). */
export interface DpopRequest {
  method: string;
  /** The DPoP header: undefined when none was sent, null when it was sent more than once. */
  dpop?: string | null | undefined;
  /** The request's absolute URL as served (`https://api.example.com/orders/1?x=1`). */
  url?: string | undefined;
}

/**
 * Resolves when this use of a token bound to `jkt` (null: unbound) is proven, else rejects with a
 * 401 carrying the DPoP challenge (RFC 9449 §7.1); 503 when the replay store is full.
 */
export async function proveUse(
  replays: ProofReplays,
  options: { realm: string; windowSeconds: number },
  jkt: string | null,
  token: string,
  scheme: DpopPresentation["scheme"],
  request: DpopRequest,
): Promise<void> {
  const presented: DpopPresentation = { scheme, proof: request.dpop, method: String(request.method), url: request.url };
  const now = Date.now();
  const checked = await checkDpopUse(jkt, token, presented, { now: Math.floor(now / 1000), windowSeconds: options.windowSeconds });
  if (!checked.ok) throw new VerifyError(checked.error, checked.reason, { realm: options.realm, dpop: true });
  if (checked.replayKey === null) return;
  // Last: only a proof that passed every other check is remembered, so nobody without the key fills the store.
  const claimed = replays.claim(checked.replayKey, checked.rememberUntil, now);
  if (claimed === "replayed") throw new VerifyError("invalid_dpop_proof", "This DPoP proof was used before", { realm: options.realm, dpop: true });
  if (claimed === "full") throw new VerifyError("unavailable", "too many recent DPoP proofs to remember; try again shortly", { realm: options.realm });
}
