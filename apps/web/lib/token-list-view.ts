/**
 * The token list's view — whose tokens, search, filters, sort, page — as it lives in the URL, so a
 * filtered view can be shared and back/forward move between views. Defaults are left out of the URL.
 */
export const ACTIVE_STATES = ["active", "valid", "expiring"] as const;
export const INACTIVE_STATES = ["inactive", "expired", "revoked"] as const;
export const STATE_FILTERS = [...ACTIVE_STATES, ...INACTIVE_STATES] as const;
export const ENDPOINT_FILTERS = ["any", "limited", "all"] as const;
export const SORTS = ["created", "expires", "last_used"] as const;
export const ORDERS = ["desc", "asc"] as const;
export const PAGE_SIZES = [25, 50, 100] as const;
/** `owner` for every user's tokens (administrators); "" is the caller's own. */
export const EVERYONE = "*";

export type StateFilter = (typeof STATE_FILTERS)[number];

export interface TokenListView {
  /** "" (mine), EVERYONE, or a username: administrators only. */
  owner: string;
  q: string;
  state: StateFilter;
  endpoints: (typeof ENDPOINT_FILTERS)[number];
  sort: (typeof SORTS)[number];
  order: (typeof ORDERS)[number];
  page: number;
  pageSize: (typeof PAGE_SIZES)[number];
}

export const DEFAULT_VIEW: TokenListView = { owner: "", q: "", state: "active", endpoints: "any", sort: "created", order: "desc", page: 1, pageSize: 50 };

/** Active (what works: valid or expiring) or Inactive (expired or revoked): the list's two tabs. */
export const tabOf = (state: StateFilter): "active" | "inactive" => ((ACTIVE_STATES as readonly string[]).includes(state) ? "active" : "inactive");

function oneOf<T extends string | number>(allowed: readonly T[], value: string | null, fallback: T): T {
  const match = allowed.find((a) => String(a) === value);
  return match ?? fallback;
}

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** Anything unknown in the URL falls back to the default: a mangled link still opens a list. */
export function viewFromParams(params: URLSearchParams): TokenListView {
  const page = Number(params.get("page"));
  const owner = params.get("user") ?? "";
  return {
    owner: owner === EVERYONE || USERNAME.test(owner) ? owner : "",
    q: (params.get("q") ?? "").slice(0, 100),
    state: oneOf(STATE_FILTERS, params.get("state"), DEFAULT_VIEW.state),
    endpoints: oneOf(ENDPOINT_FILTERS, params.get("endpoints"), DEFAULT_VIEW.endpoints),
    sort: oneOf(SORTS, params.get("sort"), DEFAULT_VIEW.sort),
    order: oneOf(ORDERS, params.get("order"), DEFAULT_VIEW.order),
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    pageSize: oneOf(PAGE_SIZES, params.get("size"), DEFAULT_VIEW.pageSize),
  };
}

export function paramsFromView(view: TokenListView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.owner) params.set("user", view.owner);
  if (view.q.trim()) params.set("q", view.q.trim());
  if (view.state !== DEFAULT_VIEW.state) params.set("state", view.state);
  if (view.endpoints !== DEFAULT_VIEW.endpoints) params.set("endpoints", view.endpoints);
  if (view.sort !== DEFAULT_VIEW.sort) params.set("sort", view.sort);
  if (view.order !== DEFAULT_VIEW.order) params.set("order", view.order);
  if (view.pageSize !== DEFAULT_VIEW.pageSize) params.set("size", String(view.pageSize));
  if (view.page !== 1) params.set("page", String(view.page));
  return params;
}

/** The search procedure's input for a view (without whose: the caller picks the procedure). */
export function searchInput(view: TokenListView) {
  return {
    q: view.q.trim() || undefined,
    state: view.state,
    endpoints: view.endpoints,
    sort: view.sort,
    order: view.order,
    page: view.page,
    pageSize: view.pageSize,
  };
}
