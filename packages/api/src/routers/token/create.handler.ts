import { invalidField } from "../field-error.js";
import { parseLifetime, type RateLimit } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";
import { auditRow, byCaller } from "../../audit/record.js";
import type { CreateTokenInput } from "./token.schema.js";
import { assertNoEscalation, defaultPowers } from "./limits.js";
import { issued, prepareToken, writeRefusal, type CreatedToken } from "./issue.js";
import { tokenEvent } from "../../webhooks/events.js";
import { enforcePolicy } from "../../policies/store.js";
import { callerUse, takeForChild } from "../../auth/uses.js";
import { dpopBinding } from "./dpop-binding.js";

export type { CreatedToken } from "./issue.js";

export async function createTokenHandler(
  ctx: AuthedContext,
  input: {
    description: string;
    life: string;
    endpoints?: string[] | undefined;
    rateLimit?: RateLimit | null | undefined;
    allowedIps?: string[] | null | undefined;
    maxUses?: number | undefined;
    audience?: string[] | null | undefined;
    dpopJkt?: string | undefined;
  },
): Promise<CreatedToken> {
  const life = parseLifetime(input.life, { maxSeconds: ctx.config.maxTokenLifeSeconds });
  if (!life.ok) throw invalidField("life", life.message);
  const powers = defaultPowers(ctx, input);
  await enforcePolicy(ctx, { lifeSeconds: life.seconds, ...powers });
  const dpopJkt = await dpopBinding(ctx, input.dpopJkt);
  const { token, row } = await prepareToken(ctx, { description: input.description, lifeSeconds: life.seconds, ...powers, maxUses: input.maxUses ?? null, dpopJkt });
  assertNoEscalation(ctx, { ...powers, expiresAt: row.expiresAt });
  // A use-limited parent pays for its child's uses now; given back if the child is not written.
  const giveBack = ctx.caller.token ? await takeForChild(ctx, { ...callerUse(ctx.caller), usesLeft: ctx.caller.token.usesLeft }, input.maxUses) : null;
  const { endpoints } = powers;
  // The parent is checked again inside the write (it may have been revoked since this request
  // began); the audit event is written in the same transaction.
  const audit = auditRow(ctx, {
    action: "token.create",
    ...byCaller(ctx),
    tokenId: row.id,
    detail: {
      description: row.description,
      lifeSeconds: row.lifeSeconds,
      endpoints,
      ...(powers.rateLimit ? { rateLimit: powers.rateLimit } : {}),
      ...(powers.allowedIps ? { allowedIps: powers.allowedIps } : {}),
      ...(row.maxUses !== null ? { maxUses: row.maxUses } : {}),
      ...(powers.audience ? { audience: powers.audience } : {}),
      ...(dpopJkt ? { dpopJkt } : {}),
      ...(row.parentId ? { createdByToken: row.parentId } : {}),
      ...(ctx.caller.issuedBy ? { issuedBy: ctx.caller.issuedBy } : {}),
    },
  });
  // The webhook event goes to the outbox in the same transaction too: no token without its event.
  const event = tokenEvent("token.created", { ...row, username: ctx.caller.username }, { created_by_token_id: row.parentId });
  const outcome = await ctx.tokenWriter.create(row, Date.now(), audit, [event], ctx.config.maxTokensPerUser).catch(async (error: unknown) => {
    await giveBack?.();
    throw error;
  });
  if (!outcome.ok) {
    await giveBack?.();
    throw writeRefusal(outcome);
  }
  ctx.webhooks.nudge();
  return issued(outcome.token, token);
}

export type { CreateTokenInput };
