import { TRPCError } from "@trpc/server";
import { parseLifetime } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { TOKEN_NOT_FOUND, type RotateTokenInput } from "./token.schema.js";
import { assertNoEscalation } from "./limits.js";
import { issued, prepareToken, type CreatedToken } from "./issue.js";

export type RotatedToken = CreatedToken & { rotatedFromId: string; oldTokenStopsAt: string };

/**
 * Replaces a token with a new one of the same description, endpoints and lifetime. The old one
 * keeps working until the overlap ends (default: it stops now); presenting it after that counts
 * as reuse and revokes the whole family (see auth/reuse.ts).
 */
export async function rotateTokenHandler(ctx: AuthedContext, input: RotateTokenInput): Promise<RotatedToken> {
  const old = ctx.tokens.activeToken(input.id, ctx.caller.userId);
  if (!old) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  if (old.rotatedAt) throw new TRPCError({ code: "CONFLICT", message: "This token was already rotated: rotate its replacement" });
  let overlapSeconds = 0;
  if (input.overlap !== undefined) {
    const overlap = parseLifetime(input.overlap, { maxSeconds: ctx.config.maxTokenLifeSeconds });
    if (!overlap.ok) throw new TRPCError({ code: "BAD_REQUEST", message: `overlap: ${overlap.message}` });
    overlapSeconds = overlap.seconds;
  }
  const endpoints = old.endpoints === null ? null : (JSON.parse(old.endpoints) as string[]);
  const familyId = old.familyId ?? old.id;
  const { token, data } = await prepareToken(ctx, { description: old.description, lifeSeconds: old.lifeSeconds, endpoints, familyId });
  assertNoEscalation(ctx, { endpoints, expiresAt: (data.expiresAt as Date).getTime() });

  const now = Date.now();
  const stopsAt = new Date(Math.min(old.expiresAt.getTime(), now + overlapSeconds * 1000));
  const [record] = await ctx.db.$transaction([
    ctx.db.accessToken.create({ data }),
    ctx.db.accessToken.update({
      where: { id: old.id },
      data: { familyId, rotatedAt: new Date(now), replacedById: data.id, revokedAt: stopsAt },
    }),
  ]);
  ctx.tokens.invalidate();
  await recordAudit(ctx, { action: "token.rotate", ...byCaller(ctx), tokenId: old.id, detail: { newTokenId: record.id, overlapSeconds } });
  return { ...issued(record, token), rotatedFromId: old.id, oldTokenStopsAt: stopsAt.toISOString() };
}
