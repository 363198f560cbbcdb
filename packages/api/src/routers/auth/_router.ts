import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { randomSecret, sha256Hex } from "@tokensmith/core";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../../trpc.js";
import { clearedSessionCookie, deviceCookie, sessionCookie } from "../../auth/cookies.js";
import { KNOWN_CLIENTS } from "../../auth/guess-limits.js";
import { recordAudit } from "../../audit/record.js";
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, userWithPassword } from "../../auth/password-check.js";
import { tooManyAttempts } from "../../auth/errors.js";

const loginInput = z.object({
  username: z.string().min(1, "is required").max(MAX_USERNAME_LENGTH),
  password: z.string().min(1, "is required").max(MAX_PASSWORD_LENGTH),
});

/** One message for an unknown user and a wrong password: no hint which part was wrong. */
export const INVALID_LOGIN = "Invalid username or password";

export const authRouter = createTRPCRouter({
  /** Dashboard sign-in: a DB-backed session in an HttpOnly, SameSite=Lax cookie. */
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const outcome = await ctx.credentials.attempt(
      {
        username: input.username,
        password: input.password,
        ip: ctx.request.ip,
        userAgent: ctx.request.userAgent,
        via: "sign-in",
        device: ctx.deviceCookie,
        session: ctx.caller?.sessionId ? { userId: ctx.caller.userId, id: ctx.caller.sessionId } : undefined,
      },
      () => userWithPassword(ctx.db, input.username, input.password),
    );
    if (!outcome.ok && outcome.reason === "limited") {
      ctx.setHeader("Retry-After", String(outcome.retryAfterSeconds));
      throw tooManyAttempts(outcome.retryAfterSeconds);
    }
    if (!outcome.ok) throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_LOGIN });
    const user = outcome.value;
    const value = randomSecret();
    const lifeSeconds = ctx.config.sessionLifeSeconds;
    await ctx.db.session.create({
      data: { id: sha256Hex(value), userId: user.id, expiresAt: new Date(Date.now() + lifeSeconds * 1000) },
    });
    ctx.setCookie(sessionCookie(value, lifeSeconds, ctx.request.secure));
    if (outcome.device) ctx.setCookie(deviceCookie(outcome.device, KNOWN_CLIENTS.lifeMs / 1000, ctx.request.secure));
    await recordAudit(ctx, { action: "auth.login_success", userId: user.id, username: user.username });
    return { username: user.username, isAdmin: user.isAdmin };
  }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    if (ctx.caller.sessionId) await ctx.db.session.deleteMany({ where: { id: ctx.caller.sessionId } });
    ctx.setCookie(clearedSessionCookie(ctx.request.secure));
    return { ok: true as const };
  }),

  me: protectedProcedure.meta({ endpoint: () => "GET /v1alpha/token/self" }).query(({ ctx }) => ({
    username: ctx.caller.username,
    isAdmin: ctx.caller.isAdmin,
    via: ctx.caller.via,
  })),
});
