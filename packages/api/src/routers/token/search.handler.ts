import type { AuthedContext } from "../../context/index.js";
import { toTokenView, type TokenView } from "./token.schema.js";
import type { SearchTokensInput } from "./search.schema.js";

export interface TokenSearchPage<T extends TokenView = TokenView> {
  tokens: T[];
  /** How many match; at least this many when totalExact is false (the dashboard shows "10,000+"). */
  total: number;
  totalExact: boolean;
  page: number;
  pageSize: number;
  /** The clock the page was computed with: the dashboard counts down from it. */
  now: string;
}

/** One page of one user's tokens (null: every user's), searched, filtered and sorted in the database. */
export async function searchTokens(ctx: AuthedContext, input: SearchTokensInput, userId: string | null) {
  const now = Date.now();
  const { tokens, total, totalExact } = await ctx.tokens.search({
    userId,
    text: input.q,
    state: input.state,
    endpoints: input.endpoints === "any" ? undefined : input.endpoints,
    sort: input.sort,
    order: input.order,
    offset: (input.page - 1) * input.pageSize,
    limit: input.pageSize,
    now,
  });
  return { records: tokens, total, totalExact, page: input.page, pageSize: input.pageSize, now };
}

/** One page of the caller's own tokens. */
export async function searchTokensHandler(ctx: AuthedContext, input: SearchTokensInput): Promise<TokenSearchPage> {
  const { records, now, ...page } = await searchTokens(ctx, input, ctx.caller.userId);
  return { ...page, tokens: records.map((t) => toTokenView(t, now)), now: new Date(now).toISOString() };
}
