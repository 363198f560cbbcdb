import { z } from "zod";
import { safeText } from "../text.js";

export const TOKEN_PAGE_SIZES = [25, 50, 100] as const;

const defaults = { state: "active", endpoints: "any", sort: "created", order: "desc", page: 1, pageSize: 50 } as const;

/** What to find, how to order it, which page: the fields of the dashboard's list. */
export const searchTokensFields = z.object({
  /** Words, each in the description or starting the id, in any order. */
  q: safeText(z.string().max(100, "must be at most 100 characters")).optional(),
  /** active: valid or expiring (the default); inactive: expired or revoked; in_force: not revoked. */
  state: z.enum(["active", "inactive", "in_force", "valid", "expiring", "expired", "revoked"]).default(defaults.state),
  endpoints: z.enum(["any", "limited", "all"]).default(defaults.endpoints),
  sort: z.enum(["created", "expires", "last_used"]).default(defaults.sort),
  order: z.enum(["asc", "desc"]).default(defaults.order),
  page: z.int().min(1).max(100_000).default(defaults.page),
  pageSize: z.union([z.literal(25), z.literal(50), z.literal(100)]).default(defaults.pageSize),
});

/** The dashboard's list: everything has a default. */
export const searchTokensInput = searchTokensFields.default(defaults);

export type SearchTokensInput = z.infer<typeof searchTokensInput>;
