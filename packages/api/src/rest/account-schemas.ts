import { z } from "zod";

/** Wire shapes of the token-policy routes (service accounts' tokens use the token shapes). */
const rateLimit = z.object({ requests: z.int(), perSeconds: z.int() });

export const effectivePolicyResponse = z
  .object({
    account: z.string().meta({ description: "Whose new tokens this is for" }),
    lines: z.array(z.string()).meta({ description: "One short line per rule in force, as the create dialog shows them" }),
    maxLifeSeconds: z.int().nullable(),
    requireEndpoints: z.boolean(),
    requireAllowedIps: z.boolean(),
    maxRateLimit: rateLimit.nullable().meta({ description: "A new token needs a rate limit no looser than this; null: no rule" }),
    allowRotationOverlap: z.boolean(),
  })
  .meta({ id: "EffectivePolicy" });

export const policyViolationsResponse = z
  .object({
    tokens: z.array(
      z.object({
        id: z.string(),
        username: z.string(),
        accountType: z.enum(["person", "service"]),
        description: z.string(),
        expiresAt: z.string(),
        breaches: z.array(z.string()).meta({ description: "Each rule it breaks, naming the policy" }),
      }),
    ),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null: no more" }),
  })
  .meta({ id: "PolicyViolations" });
