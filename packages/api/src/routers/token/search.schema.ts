import { z } from "zod";

export const TOKEN_PAGE_SIZES = [25, 50, 100] as const;

/** The dashboard's list: what to find, how to order it, which page. Everything has a default. */
export const searchTokensInput = z
  .object({
    /** Words, each in the description or starting the id, in any order. */
    q: z.string().max(100, "must be at most 100 characters").optional(),
    /** active: valid or expiring (the default); inactive: expired or revoked; in_force: not revoked. */
    state: z.enum(["active", "inactive", "in_force", "valid", "expiring", "expired", "revoked"]).default("active"),
    endpoints: z.enum(["any", "limited", "all"]).default("any"),
    sort: z.enum(["created", "expires", "last_used"]).default("created"),
    order: z.enum(["asc", "desc"]).default("desc"),
    page: z.int().min(1).max(100_000).default(1),
    pageSize: z.union([z.literal(25), z.literal(50), z.literal(100)]).default(50),
  })
  .default({ state: "active", endpoints: "any", sort: "created", order: "desc", page: 1, pageSize: 50 });

export type SearchTokensInput = z.infer<typeof searchTokensInput>;
