import { policyBreaches, policyRequirements, type Breach, type TokenFacts } from "@tokensmith/core/policy";
import { parseLifetime } from "@tokensmith/core/lifetime";
import type { EffectivePolicy } from "./policy-note";

/** A field a token policy judges: life, endpoints, allowedIps, rateLimit, overlap. */
export type PolicyField = Breach["field"];
export type PolicyMessages = Partial<Record<PolicyField, string>>;

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1) + ".";

/**
 * What each rule in force asks, by field, naming its policy ("The token policy of "ann" requires an
 * IP allowlist."): shown beside the fields before the user types. Worked out by core's rule module
 * from the rules the server sent (policy.effective), as the server's refusals are.
 */
export function policyAsks(policy: EffectivePolicy | undefined): PolicyMessages {
  if (!policy) return {};
  const asks: PolicyMessages = {};
  for (const [field, text] of Object.entries(policyRequirements(policy.rules))) asks[field as PolicyField] = sentence(text);
  return asks;
}

/**
 * Which rules a draft breaks, by field, in the words of the 400 the server would answer (the same
 * core function judges both). The server judges again: this only spares the user the round trip.
 */
export function draftBreaches(policy: EffectivePolicy | undefined, draft: TokenFacts): PolicyMessages {
  if (!policy) return {};
  const found: PolicyMessages = {};
  for (const breach of policyBreaches(policy.rules, draft)) found[breach.field] ??= breach.message;
  return found;
}

/** Whether a lifetime preset breaks the policy's longest lifetime (such a preset is offered disabled). */
export function lifetimeOverPolicy(preset: string, policy: EffectivePolicy | undefined): boolean {
  const parsed = parseLifetime(preset);
  return parsed.ok && draftBreaches(policy, { lifeSeconds: parsed.seconds, endpoints: null, allowedIps: null, rateLimit: null }).life !== undefined;
}
