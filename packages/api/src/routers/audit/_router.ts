import { z } from "zod";
import { safeText } from "../text.js";
import { createTRPCRouter, protectedProcedure } from "../../trpc.js";
import { tokenId } from "../token/token.schema.js";
import { toAuditView, type AuditView } from "./audit.view.js";

export type { AuditView } from "./audit.view.js";

const listInput = z
  .object({
    /** The id of the last event of the previous page. */
    cursor: z.int().positive().optional(),
    limit: z.int().min(1).max(100).default(50),
    /** Only this kind of event ("token.revoke", "auth.login_failure", …). */
    action: z.string().regex(/^[a-z_]{1,32}\.[a-z_]{1,32}$/, "must be an event type such as token.revoke").optional(),
    /** Only events of this user (administrators; users only ever see their own). */
    username: safeText(z.string().max(100)).optional(),
    tokenId: tokenId.optional(),
  })
  .default({ limit: 50 });

/** Newest first, a page at a time, filtered. Users see their own events; administrators see everyone's. */
export const auditRouter = createTRPCRouter({
  list: protectedProcedure.input(listInput).query(async ({ ctx, input }) => {
    const events = await ctx.db.auditEvent.findMany({
      where: {
        ...(ctx.caller.isAdmin ? {} : { userId: ctx.caller.userId }),
        ...(input.cursor ? { id: { lt: input.cursor } } : {}),
        ...(input.action ? { action: input.action } : {}),
        ...(input.username && ctx.caller.isAdmin ? { username: input.username } : {}),
        ...(input.tokenId ? { tokenId: input.tokenId } : {}),
      },
      orderBy: { id: "desc" },
      take: input.limit + 1,
    });
    const page = events.slice(0, input.limit);
    // Which of the page's accounts are service accounts: one read for the page, not one per row.
    const ids = [...new Set(page.flatMap((e) => (e.userId ? [e.userId] : [])))];
    const services = new Set(
      ids.length === 0 ? [] : (await ctx.db.user.findMany({ where: { id: { in: ids }, accountType: "service" }, select: { id: true } })).map((u) => u.id),
    );
    // The description of each token the page names (one read): a user's own tokens only, unless administrator.
    const tokenIds = [...new Set(page.flatMap((e) => (e.tokenId ? [e.tokenId] : [])))];
    const described = new Map(
      tokenIds.length === 0
        ? []
        : (
            await ctx.db.accessToken.findMany({
              where: { id: { in: tokenIds }, ...(ctx.caller.isAdmin ? {} : { userId: ctx.caller.userId }) },
              select: { id: true, description: true },
            })
          ).map((t) => [t.id, t.description]),
    );
    return {
      events: page.map((e): AuditView & { tokenDescription: string | null } => ({
        ...toAuditView(e, services),
        tokenDescription: (e.tokenId && described.get(e.tokenId)) ?? null,
      })),
      nextCursor: events.length > input.limit ? page[page.length - 1]!.id : null,
    };
  }),
});
