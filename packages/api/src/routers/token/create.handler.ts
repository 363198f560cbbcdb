import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { parseLifetime, sha256Hex, signAccessToken } from "@tokensmith/core";
import type { AuthedContext } from "../../trpc.js";
import { toTokenView, type CreateTokenInput, type TokenView } from "./token.schema.js";

export type CreatedToken = TokenView & { token: string };

export async function createTokenHandler(ctx: AuthedContext, input: CreateTokenInput): Promise<CreatedToken> {
  const life = parseLifetime(input.life, { maxSeconds: ctx.config.maxTokenLifeSeconds });
  if (!life.ok) throw new TRPCError({ code: "BAD_REQUEST", message: life.message });

  const id = randomUUID();
  // Whole seconds, so that the JWT's exp − iat is exactly the lifetime and matches the record.
  const issuedAt = Math.floor(Date.now() / 1000);
  const token = await signAccessToken(
    {
      userId: ctx.caller.userId,
      username: ctx.caller.username,
      tokenId: id,
      description: input.description,
      issuedAt,
      lifeSeconds: life.seconds,
    },
    ctx.signingKey,
  );
  const record = await ctx.db.accessToken.create({
    data: {
      id,
      userId: ctx.caller.userId,
      description: input.description,
      lifeSeconds: life.seconds,
      tokenHash: sha256Hex(token),
      createdAt: new Date(issuedAt * 1000),
      expiresAt: new Date((issuedAt + life.seconds) * 1000),
    },
  });
  return { ...toTokenView(record), token };
}
