import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { hashPassword } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { MAX_PASSWORD_LENGTH, userWithPassword } from "../../auth/password-check.js";
import { tooManyAttempts } from "../../auth/errors.js";
import { invalidField } from "../field-error.js";
import { password } from "../user/user.schema.js";
import { startSession } from "./session-start.js";

export const changePasswordInput = z.object({
  currentPassword: z.string({ error: "is required" }).min(1, "is required").max(MAX_PASSWORD_LENGTH),
  newPassword: password,
});

/**
 * A signed-in user changes their own password. The current one is checked as a sign-in is, through
 * the same guess limits (a wrong one counts, and too many are refused with Retry-After), so a
 * borrowed session cannot be turned into the password without knowing it. The new password ends
 * every session of the user, as an administrator's reset does; this browser gets a new one.
 */
export async function changeOwnPassword(ctx: AuthedContext, input: z.infer<typeof changePasswordInput>): Promise<{ username: string }> {
  if (ctx.caller.via !== "session") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Change your password from the dashboard, signed in; a token or HTTP Basic cannot do it" });
  }
  const { username, userId } = ctx.caller;
  const outcome = await ctx.credentials.attempt(
    {
      username,
      password: input.currentPassword,
      ip: ctx.request.ip,
      userAgent: ctx.request.userAgent,
      via: "sign-in",
      device: ctx.deviceCookie,
      session: ctx.caller.sessionId ? { userId, id: ctx.caller.sessionId } : undefined,
    },
    () => userWithPassword(ctx.db, username, input.currentPassword),
  );
  if (!outcome.ok && outcome.reason === "limited") {
    ctx.setHeader("Retry-After", String(outcome.retryAfterSeconds));
    throw tooManyAttempts(outcome.retryAfterSeconds);
  }
  if (!outcome.ok || outcome.value.id !== userId) throw invalidField("currentPassword", "is not your current password", "That is not your current password.");
  if (input.newPassword === input.currentPassword) throw invalidField("newPassword", "must differ from the current one", "The new password must differ from the current one.");
  await ctx.accounts.resetPassword(userId, await hashPassword(input.newPassword));
  await startSession(ctx, userId, outcome.device);
  await recordAudit(ctx, { action: "user.password_change", ...byCaller(ctx), detail: { user: username } });
  return { username };
}
