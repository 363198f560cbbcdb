import { z } from "zod";
import type { EffectivePolicy } from "@tokensmith/core";
import { tokenLifetime, tokenRateLimit } from "../token/token.schema.js";
import { username } from "../user/user.schema.js";

/** A policy's scope: an account's name (a person or a service account), or none for server-wide. */
const scopeInput = { account: username.optional() };

/** Each rule: omitted keeps it, null clears it (an account's then follows the server's again). */
export const setPolicyInput = z.object({
  ...scopeInput,
  maxLife: tokenLifetime.nullable().optional(),
  requireEndpoints: z.boolean().nullable().optional(),
  requireAllowedIps: z.boolean().nullable().optional(),
  maxRateLimit: tokenRateLimit.nullable().optional(),
  allowRotationOverlap: z.boolean().nullable().optional(),
});
export type SetPolicyInput = z.infer<typeof setPolicyInput>;

export const policyScopeInput = z.object(scopeInput).default({});

export const violationsInput = z
  .object({
    account: username.optional(),
    /** The id of the last token of the previous page. */
    cursor: z.uuid().optional(),
    limit: z.int().min(1).max(500).default(100),
  })
  .default({ limit: 100 });

/** One stored policy as set: null is "not set here". */
export interface PolicyView {
  scope: "server" | "account";
  account: string | null;
  maxLifeSeconds: number | null;
  requireEndpoints: boolean | null;
  requireAllowedIps: boolean | null;
  maxRateLimit: { requests: number; perSeconds: number } | null;
  allowRotationOverlap: boolean | null;
}

/** What applies to one account's new tokens, rule by rule, and as short lines for a person. */
export interface EffectivePolicyView {
  account: string;
  lines: string[];
  /** Each rule in force with the policy it comes from: what the dialogs judge a draft by (core's policyBreaches). */
  rules: EffectivePolicy;
  maxLifeSeconds: number | null;
  requireEndpoints: boolean;
  requireAllowedIps: boolean;
  maxRateLimit: { requests: number; perSeconds: number } | null;
  allowRotationOverlap: boolean;
}

export interface PolicyViolation {
  id: string;
  username: string;
  accountType: "person" | "service";
  description: string;
  expiresAt: string;
  breaches: string[];
}
