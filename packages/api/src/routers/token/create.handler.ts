import { invalidField } from "../field-error.js";
import { parseLifetime } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";
import { auditRow, byCaller } from "../../audit/record.js";
import type { CreateTokenInput } from "./token.schema.js";
import { assertNoEscalation, defaultEndpoints } from "./limits.js";
import { issued, lineageRefusal, prepareToken, type CreatedToken } from "./issue.js";

export type { CreatedToken } from "./issue.js";

export async function createTokenHandler(
  ctx: AuthedContext,
  input: { description: string; life: string; endpoints?: string[] | undefined },
): Promise<CreatedToken> {
  const life = parseLifetime(input.life, { maxSeconds: ctx.config.maxTokenLifeSeconds });
  if (!life.ok) throw invalidField("life", life.message);
  const endpoints = defaultEndpoints(ctx, input.endpoints);
  const { token, row } = await prepareToken(ctx, { description: input.description, lifeSeconds: life.seconds, endpoints });
  assertNoEscalation(ctx, { endpoints, expiresAt: row.expiresAt });
  // The parent is checked again inside the write (it may have been revoked since this request
  // began); the audit event is written in the same transaction.
  const audit = auditRow(ctx, {
    action: "token.create",
    ...byCaller(ctx),
    tokenId: row.id,
    detail: { description: row.description, lifeSeconds: row.lifeSeconds, endpoints, ...(row.parentId ? { createdByToken: row.parentId } : {}) },
  });
  const outcome = await ctx.tokenWriter.create(row, Date.now(), audit);
  if (!outcome.ok) throw lineageRefusal(outcome);
  return issued(outcome.token, token);
}

export type { CreateTokenInput };
