import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { DECOY_PASSWORD_HASH, randomSecret, sha256Hex, verifyPassword } from "@tokensmith/core";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../../trpc.js";
import { clearedSessionCookie, sessionCookie } from "../../auth/cookies.js";
import { recordAudit } from "../../audit/record.js";

const loginInput = z.object({
  username: z.string().min(1, "is required").max(100),
  password: z.string().min(1, "is required").max(1000),
});

/** One message for an unknown user and a wrong password: no hint which part was wrong. */
export const INVALID_LOGIN = "Invalid username or password";

export const authRouter = createTRPCRouter({
  /** Dashboard sign-in: a DB-backed session in an HttpOnly, SameSite=Lax cookie. */
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const keys = [`user:${input.username.toLowerCase()}`, `ip:${ctx.request.ip ?? "unknown"}`];
    const wait = Math.max(...keys.map((key) => ctx.loginLimiter.retryAfter(key)));
    if (wait > 0) {
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many failed sign-ins. Try again in ${wait} seconds.` });
    }
    const user = await ctx.db.user.findUnique({ where: { username: input.username } });
    const ok = await verifyPassword(input.password, user?.passwordHash ?? DECOY_PASSWORD_HASH);
    if (!user || !ok) {
      for (const key of keys) ctx.loginLimiter.fail(key);
      await recordAudit(ctx, { action: "auth.login_failure", userId: user?.id, username: input.username });
      throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_LOGIN });
    }
    ctx.loginLimiter.reset(keys[0]!);
    const value = randomSecret();
    const lifeSeconds = ctx.config.sessionLifeSeconds;
    await ctx.db.session.create({
      data: { id: sha256Hex(value), userId: user.id, expiresAt: new Date(Date.now() + lifeSeconds * 1000) },
    });
    ctx.setCookie(sessionCookie(value, lifeSeconds, ctx.request.secure));
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
