import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../../trpc.js";

export interface AuditView {
  id: number;
  at: string;
  action: string;
  username: string | null;
  tokenId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown> | null;
}

const listInput = z
  .object({
    /** The id of the last event of the previous page. */
    cursor: z.int().positive().optional(),
    limit: z.int().min(1).max(100).default(50),
  })
  .default({ limit: 50 });

/** Newest first, a page at a time. Users see their own events; administrators see everyone's. */
export const auditRouter = createTRPCRouter({
  list: protectedProcedure.input(listInput).query(async ({ ctx, input }) => {
    const events = await ctx.db.auditEvent.findMany({
      where: {
        ...(ctx.caller.isAdmin ? {} : { userId: ctx.caller.userId }),
        ...(input.cursor ? { id: { lt: input.cursor } } : {}),
      },
      orderBy: { id: "desc" },
      take: input.limit + 1,
    });
    const page = events.slice(0, input.limit);
    return {
      events: page.map(
        (e): AuditView => ({
          id: e.id,
          at: e.at.toISOString(),
          action: e.action,
          username: e.username,
          tokenId: e.tokenId,
          ip: e.ip,
          userAgent: e.userAgent,
          detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null,
        }),
      ),
      nextCursor: events.length > input.limit ? page[page.length - 1]!.id : null,
    };
  }),
});
