import { z } from "zod";
import { safeText } from "../text.js";

export const TOKEN_PAGE_SIZES = [25, 50, 100] as const;

/** The dashboard's list: what to find, how to order it, which page. Everything has a default. */
export const searchTokensInput = z
  .object({
    q: safeText(z.string().max(100, "must be at most 100 characters")).optional(),
    state: z.enum(["in_force", "valid", "expiring", "expired", "revoked"]).default("in_force"),
    endpoints: z.enum(["any", "limited", "all"]).default("any"),
    sort: z.enum(["created", "expires", "last_used"]).default("created"),
    order: z.enum(["asc", "desc"]).default("desc"),
    page: z.int().min(1).max(100_000).default(1),
    pageSize: z.union([z.literal(25), z.literal(50), z.literal(100)]).default(50),
  })
  .default({ state: "in_force", endpoints: "any", sort: "created", order: "desc", page: 1, pageSize: 50 });

export type SearchTokensInput = z.infer<typeof searchTokensInput>;
