import { randomSecret, sha256Hex } from "@tokensmith/core";
import type { Context } from "../../context/index.js";
import { deviceCookie, sessionCookie } from "../../auth/cookies.js";
import { KNOWN_CLIENTS } from "../../auth/guess-limits.js";

/**
 * A new dashboard session for a user whose password was just verified (sign-in, or a change of
 * their own password): a DB-backed session in an HttpOnly, SameSite=Lax cookie, and the device
 * cookie the guess limits handed out, if any.
 */
export async function startSession(ctx: Context, userId: string, device: string | undefined): Promise<void> {
  const value = randomSecret();
  const lifeSeconds = ctx.config.sessionLifeSeconds;
  await ctx.db.session.create({ data: { id: sha256Hex(value), userId, expiresAt: new Date(Date.now() + lifeSeconds * 1000) } });
  ctx.setCookie(sessionCookie(value, lifeSeconds, ctx.request.secure));
  if (device) ctx.setCookie(deviceCookie(device, KNOWN_CLIENTS.lifeMs / 1000, ctx.request.secure));
}
