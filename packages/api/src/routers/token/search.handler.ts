import type { AuthedContext } from "../../context/index.js";
import { toTokenView, type TokenView } from "./token.schema.js";
import type { SearchTokensInput } from "./search.schema.js";

export interface TokenSearchPage {
  tokens: TokenView[];
  total: number;
  page: number;
  pageSize: number;
  /** The clock the page was computed with: the dashboard counts down from it. */
  now: string;
}

/** One page of the caller's tokens, searched, filtered and sorted in the database. */
export async function searchTokensHandler(ctx: AuthedContext, input: SearchTokensInput): Promise<TokenSearchPage> {
  const now = Date.now();
  const { tokens, total } = await ctx.tokens.search({
    userId: ctx.caller.userId,
    text: input.q,
    state: input.state,
    endpoints: input.endpoints === "any" ? undefined : input.endpoints,
    sort: input.sort,
    order: input.order,
    offset: (input.page - 1) * input.pageSize,
    limit: input.pageSize,
    now,
  });
  return { tokens: tokens.map((t) => toTokenView(t, now)), total, page: input.page, pageSize: input.pageSize, now: new Date(now).toISOString() };
}
