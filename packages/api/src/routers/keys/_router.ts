import { adminProcedure, createTRPCRouter } from "../../trpc.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import type { KeyView } from "../../keys/key-ring.js";

/** Signing keys, for administrators: what the CLI's `keys` commands and the dashboard show. */
export const keysRouter = createTRPCRouter({
  /** Every key in the table: kid, algorithm, state, live tokens, and when its state next changes. */
  list: adminProcedure.query(({ ctx }): Promise<KeyView[]> => ctx.keys.list()),

  /** Starts a rotation: a new key is published now and signs once the publish delay has passed. */
  rotate: adminProcedure.mutation(async ({ ctx }) => {
    const next = await ctx.keys.rotate();
    await recordAudit(ctx, { action: "key.rotate", ...byCaller(ctx), detail: { kid: next.kid, alg: next.alg } });
    const views = await ctx.keys.list();
    return views.find((k) => k.kid === next.kid)!;
  }),
});
