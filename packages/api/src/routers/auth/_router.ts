import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../../trpc.js";
import { clearedSessionCookie } from "../../auth/cookies.js";
import { recordAudit } from "../../audit/record.js";
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, userWithPassword } from "../../auth/password-check.js";
import { tooManyAttempts } from "../../auth/errors.js";
import { changeOwnPassword, changePasswordInput } from "./change-password.js";
import { startSession } from "./session-start.js";

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
    await startSession(ctx, user.id, outcome.device);
    await recordAudit(ctx, { action: "auth.login_success", userId: user.id, username: user.username });
    return { username: user.username, isAdmin: user.isAdmin };
  }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    if (ctx.caller.sessionId) await ctx.db.session.deleteMany({ where: { id: ctx.caller.sessionId } });
    ctx.setCookie(clearedSessionCookie(ctx.request.secure));
    return { ok: true as const };
  }),

  /** The signed-in user's own password, the current one checked like a sign-in. */
  changePassword: protectedProcedure.input(changePasswordInput).mutation(({ ctx, input }) => changeOwnPassword(ctx, input)),

  me: protectedProcedure.meta({ endpoint: () => "GET /v1alpha/token/self" }).query(({ ctx }) => ({
    username: ctx.caller.username,
    isAdmin: ctx.caller.isAdmin,
    via: ctx.caller.via,
  })),

  /**
   * The header set this server's forward auth reads the original request from (FORWARD_AUTH_HEADERS),
   * so the dashboard's "Try it" check for an endpoint-limited token is the one a proxy would send.
   */
  forwardAuthHeaders: protectedProcedure.meta({ endpoint: () => "GET /v1alpha/token/self" }).query(({ ctx }) => ({
    headers: ctx.config.forwardAuthHeaders === "forwarded" ? ("forwarded" as const) : ("original" as const),
  })),
});
