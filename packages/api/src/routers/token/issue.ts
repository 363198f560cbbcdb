import { randomUUID } from "node:crypto";
import { sha256Hex, signAccessToken } from "@tokensmith/core";
import type { Prisma } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { toTokenView, type TokenView } from "./token.schema.js";

export type CreatedToken = TokenView & { token: string };

export interface IssueInput {
  description: string;
  lifeSeconds: number;
  endpoints: string[] | null;
  familyId?: string | null;
}

/**
 * Signs a new token and prepares its row: whole seconds, so the JWT's exp − iat is exactly the
 * lifetime and matches the record. Create and rotate both issue through here.
 */
export async function prepareToken(ctx: AuthedContext, input: IssueInput, issuedAt = Math.floor(Date.now() / 1000)) {
  const id = randomUUID();
  const token = await signAccessToken(
    {
      userId: ctx.caller.userId,
      username: ctx.caller.username,
      tokenId: id,
      description: input.description,
      issuedAt,
      lifeSeconds: input.lifeSeconds,
      endpoints: input.endpoints,
    },
    ctx.signingKey,
  );
  const data: Prisma.AccessTokenUncheckedCreateInput = {
    id,
    userId: ctx.caller.userId,
    description: input.description,
    lifeSeconds: input.lifeSeconds,
    tokenHash: sha256Hex(token),
    endpoints: input.endpoints === null ? null : JSON.stringify(input.endpoints),
    familyId: input.familyId ?? null,
    createdAt: new Date(issuedAt * 1000),
    expiresAt: new Date((issuedAt + input.lifeSeconds) * 1000),
  };
  return { token, data };
}

export const issued = (record: Parameters<typeof toTokenView>[0], token: string): CreatedToken => ({ ...toTokenView(record), token });
