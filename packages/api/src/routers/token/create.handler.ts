import { TRPCError } from "@trpc/server";
import { parseLifetime } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import type { CreateTokenInput } from "./token.schema.js";
import { assertNoEscalation, defaultEndpoints } from "./limits.js";
import { issued, prepareToken, type CreatedToken } from "./issue.js";

export type { CreatedToken } from "./issue.js";

export async function createTokenHandler(
  ctx: AuthedContext,
  input: { description: string; life: string; endpoints?: string[] | undefined },
): Promise<CreatedToken> {
  const life = parseLifetime(input.life, { maxSeconds: ctx.config.maxTokenLifeSeconds });
  if (!life.ok) throw new TRPCError({ code: "BAD_REQUEST", message: life.message });
  const endpoints = defaultEndpoints(ctx, input.endpoints);
  const { token, data } = await prepareToken(ctx, { description: input.description, lifeSeconds: life.seconds, endpoints });
  assertNoEscalation(ctx, { endpoints, expiresAt: (data.expiresAt as Date).getTime() });
  const record = await ctx.db.accessToken.create({ data });
  await recordAudit(ctx, { action: "token.create", ...byCaller(ctx), tokenId: record.id, detail: { description: record.description, lifeSeconds: record.lifeSeconds, endpoints } });
  return issued(record, token);
}

export type { CreateTokenInput };
