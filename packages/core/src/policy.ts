import { formatLifetime } from "./lifetime.js";
import { rateLimitWithin, type RateLimit } from "./rate-limits.js";

/**
 * Administrators' token policies: one rule module that every path issuing a token (create and
 * rotate, over REST, tRPC, the dashboard and the CLI; a token's child tokens too) asks, that the
 * list of tokens breaking the current policy asks, and that the dashboard's dialogs ask about a
 * draft before it is sent (with the policy the server worked out: policy.effective), so what the
 * dialog says and what the server refuses are one rule. Pure: the rows come from the API's store.
 */

/** A stored policy (server-wide, or one account's): null leaves a rule to the server's, or to none. */
export interface PolicyRow {
  maxLifeSeconds: number | null;
  requireEndpoints: boolean | null;
  requireAllowedIps: boolean | null;
  maxRateRequests: number | null;
  maxRateSeconds: number | null;
  allowRotationOverlap: boolean | null;
}

/** A rule in force and the policy it comes from, named as a 400 names it. */
interface Rule<T> {
  value: T;
  policy: string;
}

export interface EffectivePolicy {
  maxLifeSeconds: Rule<number> | null;
  requireEndpoints: Rule<true> | null;
  requireAllowedIps: Rule<true> | null;
  maxRateLimit: Rule<RateLimit> | null;
  noRotationOverlap: Rule<true> | null;
}

export const SERVER_POLICY = "the server-wide token policy";
export const accountPolicy = (name: string) => `the token policy of "${name}"`;

/** Each rule: the account's where it sets one, else the server's. An account's may loosen the server's. */
export function effectivePolicy(server: PolicyRow | null, account: PolicyRow | null, accountName: string): EffectivePolicy {
  const pick = <T>(read: (row: PolicyRow) => T | null): Rule<T> | null => {
    const own = account ? read(account) : null;
    if (own !== null) return { value: own, policy: accountPolicy(accountName) };
    const shared = server ? read(server) : null;
    return shared !== null ? { value: shared, policy: SERVER_POLICY } : null;
  };
  const required = (rule: Rule<boolean> | null): Rule<true> | null => (rule?.value ? { value: true, policy: rule.policy } : null);
  return {
    maxLifeSeconds: pick((row) => row.maxLifeSeconds),
    requireEndpoints: required(pick((row) => row.requireEndpoints)),
    requireAllowedIps: required(pick((row) => row.requireAllowedIps)),
    maxRateLimit: pick((row) => (row.maxRateRequests !== null && row.maxRateSeconds !== null ? { requests: row.maxRateRequests, windowSeconds: row.maxRateSeconds } : null)),
    noRotationOverlap: required(pick((row) => (row.allowRotationOverlap === null ? null : !row.allowRotationOverlap))),
  };
}

/** What a token is judged on: a new one (create, rotate), or one in force. */
export interface TokenFacts {
  lifeSeconds: number;
  endpoints: string[] | null;
  allowedIps: string[] | null;
  rateLimit: RateLimit | null;
  /** A rotation's overlap; absent for a create or a token in force. */
  overlapSeconds?: number;
}

export interface Breach {
  /** The input field at fault, as the create and rotate procedures name it. */
  field: "life" | "endpoints" | "allowedIps" | "rateLimit" | "overlap";
  message: string;
}

const perWindow = (limit: RateLimit) => `${limit.requests} requests per ${formatLifetime(limit.windowSeconds)}`;

/**
 * What each rule in force asks of a new token, by the field it judges, naming its policy: the
 * dialogs show these beside their fields before anything is sent, and a breach says the same.
 */
export function policyRequirements(policy: EffectivePolicy): Partial<Record<Breach["field"], string>> {
  const { maxLifeSeconds, requireEndpoints, requireAllowedIps, maxRateLimit, noRotationOverlap } = policy;
  return {
    ...(maxLifeSeconds ? { life: `${maxLifeSeconds.policy} allows a lifetime of at most ${formatLifetime(maxLifeSeconds.value)}` } : {}),
    ...(requireEndpoints ? { endpoints: `${requireEndpoints.policy} requires a token to name its endpoints` } : {}),
    ...(requireAllowedIps ? { allowedIps: `${requireAllowedIps.policy} requires an IP allowlist` } : {}),
    ...(maxRateLimit ? { rateLimit: `${maxRateLimit.policy} requires a rate limit no looser than ${perWindow(maxRateLimit.value)}` } : {}),
    ...(noRotationOverlap ? { overlap: `${noRotationOverlap.policy} allows no rotation overlap: the old token must stop at once` } : {}),
  };
}

/** Every rule of `policy` the token breaks, each naming its policy; empty when it keeps them all. */
export function policyBreaches(policy: EffectivePolicy, token: TokenFacts): Breach[] {
  const asks = policyRequirements(policy);
  const breaches: Breach[] = [];
  const { maxLifeSeconds, requireEndpoints, requireAllowedIps, maxRateLimit, noRotationOverlap } = policy;
  if (maxLifeSeconds && token.lifeSeconds > maxLifeSeconds.value) {
    breaches.push({ field: "life", message: `${asks.life} (this one: ${formatLifetime(token.lifeSeconds)})` });
  }
  if (requireEndpoints && (token.endpoints === null || token.endpoints.length === 0)) breaches.push({ field: "endpoints", message: asks.endpoints! });
  if (requireAllowedIps && token.allowedIps === null) breaches.push({ field: "allowedIps", message: asks.allowedIps! });
  if (maxRateLimit && !rateLimitWithin(token.rateLimit, maxRateLimit.value)) {
    breaches.push({ field: "rateLimit", message: `${asks.rateLimit} (this one: ${token.rateLimit ? perWindow(token.rateLimit) : "none"})` });
  }
  if (noRotationOverlap && (token.overlapSeconds ?? 0) > 0) breaches.push({ field: "overlap", message: asks.overlap! });
  return breaches;
}

/** One short line per rule in force, for the create dialog and the CLI. */
export function describePolicy(policy: EffectivePolicy): string[] {
  const lines: string[] = [];
  if (policy.maxLifeSeconds) lines.push(`Lifetime at most ${formatLifetime(policy.maxLifeSeconds.value)}`);
  if (policy.requireEndpoints) lines.push("Endpoints must be named");
  if (policy.requireAllowedIps) lines.push("An IP allowlist is required");
  if (policy.maxRateLimit) lines.push(`Rate limit no looser than ${perWindow(policy.maxRateLimit.value)}`);
  if (policy.noRotationOverlap) lines.push("Rotation without overlap");
  return lines;
}
