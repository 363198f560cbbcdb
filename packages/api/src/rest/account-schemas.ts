import { z } from "zod";

/** Wire shapes of the token-policy routes (service accounts' tokens use the token shapes). */
const rateLimit = z.object({ requests: z.int(), perSeconds: z.int() });
/** One rule in force, and the policy it comes from, named as a refusal names it. */
const rule = <T extends z.ZodType>(value: T, example: z.infer<T>) =>
  z
    .object({ value, policy: z.string().meta({ description: 'e.g. "the server-wide token policy"' }) })
    .nullable()
    .meta({ example: { value: example, policy: "the server-wide token policy" } });

export const effectivePolicyResponse = z
  .object({
    account: z.string().meta({ description: "Whose new tokens this is for" }),
    lines: z.array(z.string()).meta({ description: "One short line per rule in force, as the create dialog shows them" }),
    rules: z
      .object({
        maxLifeSeconds: rule(z.int(), 2_592_000),
        requireEndpoints: rule(z.literal(true), true),
        requireAllowedIps: rule(z.literal(true), true),
        maxRateLimit: rule(z.object({ requests: z.int(), windowSeconds: z.int() }), { requests: 100, windowSeconds: 60 }),
        noRotationOverlap: rule(z.literal(true), true),
      })
      .meta({ description: "Each rule in force (null: none) and the policy it comes from: the server's or the account's own" }),
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
