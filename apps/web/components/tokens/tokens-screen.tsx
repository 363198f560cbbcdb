"use client";

import { Suspense, useCallback, useEffect, useRef, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { clockNow, syncClock, useClock } from "@/lib/clock";
import { formatCount } from "@/lib/format";
import { DEFAULT_VIEW, EVERYONE, paramsFromView, searchInput, tabOf, viewFromParams, type TokenListView } from "@/lib/token-list-view";
import { EXPIRING_RULE, stateAt } from "@/lib/token-state";
import { useUrlState, type ViewChange } from "@/lib/use-url-state";
import { useNarrowScreen } from "@/lib/use-narrow";
import { useMe } from "@/lib/use-me";
import { QueryError, Skeleton } from "../query-state";
import { Button } from "../ui";
import { NewTokenDialog } from "./new-token-dialog";
import { OwnerSelect, TokenFilters } from "./token-filters";
import { TokenTable, type ListedToken } from "./token-table";
import { TokenCards } from "./token-cards";
import { TokenPager } from "./token-pager";
import { BulkRevokeBar } from "./bulk-revoke";
import { isActionable } from "./token-bits";

/** One page of tokens: the caller's own (token.search), or — administrators — any users' (admin.searchTokens). */
function useTokenPage(view: TokenListView, owner: string) {
  const trpc = useTRPC();
  const asAdmin = owner !== "";
  const input = searchInput(view);
  const own = useQuery(trpc.token.search.queryOptions(input, { placeholderData: keepPreviousData, enabled: !asAdmin }));
  const any = useQuery(
    trpc.admin.searchTokens.queryOptions({ ...input, username: owner === EVERYONE ? undefined : owner }, { placeholderData: keepPreviousData, enabled: asAdmin }),
  );
  return asAdmin ? any : own;
}

/** A token in the "Expires soon" state is on the page: the rule is explained once, under the list. */
function ExpiringNote({ tokens }: { tokens: ListedToken[] }) {
  const any = useClock((now) => tokens.some((t) => stateAt(t, now) === "expiring"));
  return any ? <p className="mt-2 text-xs text-fg-muted">{EXPIRING_RULE}</p> : null;
}

/**
 * The token list: Active by default, Inactive (expired or revoked) under the second tab; searched,
 * filtered, sorted and paged by the server. `owner` fixes whose tokens (a user's page); otherwise
 * an administrator may choose in the filters.
 */
export function TokenList({ owner: fixedOwner }: { owner?: string }) {
  const [view, setView] = useUrlState(viewFromParams, paramsFromView);
  const { me } = useMe();
  const owner = fixedOwner ?? (me?.isAdmin ? view.owner : "");
  const asAdmin = owner !== "";
  const narrow = useNarrowScreen();
  const search = useTokenPage(view, owner);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // The summary line takes focus after an action that may remove rows (revoke).
  const summary = useRef<HTMLParagraphElement>(null);
  const focusSummary = useCallback(() => summary.current?.focus(), []);

  useEffect(() => {
    if (search.data && !search.isPlaceholderData) syncClock(search.data.now, search.dataUpdatedAt);
  }, [search.data, search.isPlaceholderData, search.dataUpdatedAt]);
  // A selection belongs to the rows in view: a new page, search or filter starts afresh.
  const viewKey = paramsFromView(view).toString();
  useEffect(() => setSelected(new Set()), [viewKey, owner]);

  // A page that no longer exists (its last tokens were revoked): show the last one there is.
  useEffect(() => {
    if (search.data && search.data.tokens.length === 0 && search.data.total > 0 && view.page > 1) {
      setView({ ...view, page: Math.ceil(search.data.total / view.pageSize) }, "replace");
    }
  }, [search.data, view, setView]);

  const changeView = useCallback((next: ViewChange<TokenListView>, mode: "push" | "replace" = "push") => setView(next, mode), [setView]);
  const data = search.data;
  const tokens: ListedToken[] = data?.tokens ?? [];
  const filtered = view.q.trim() !== "" || view.endpoints !== "any" || !["active", "inactive"].includes(view.state);
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const toggleAll = (on: boolean) => setSelected(on ? new Set(tokens.filter((t) => isActionable(t, clockNow())).map((t) => t.id)) : new Set());
  const selectedTokens = tokens.filter((t) => selected.has(t.id));
  const first = data ? (data.page - 1) * data.pageSize + 1 : 0;
  const last = data ? first + data.tokens.length - 1 : 0;
  const inactive = tabOf(view.state) === "inactive";
  const listProps = { tokens, selected, onToggle: toggle, onToggleAll: toggleAll, afterAction: focusSummary, asAdmin, me: me?.username };

  return (
    <>
      <TokenFilters view={view} onChange={changeView} />
      {search.isError && !data && <QueryError what={asAdmin ? "the tokens" : "your tokens"} error={search.error} onRetry={() => void search.refetch()} retrying={search.isFetching} />}
      {search.isPending && search.fetchStatus !== "idle" && <Skeleton label="Loading tokens…" lines={6} />}
      {data && (
        <>
          {search.isError && <QueryError what="the newest list" error={search.error} onRetry={() => void search.refetch()} retrying={search.isFetching} />}
          <p ref={summary} tabIndex={-1} aria-live="polite" className="mb-2 text-sm text-fg-muted outline-none focus-visible:ring-2 focus-visible:ring-indigo-500" data-testid="results-summary">
            {data.total === 0 ? "No tokens found" : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(data.total)}${data.totalExact ? "" : "+"} ${inactive ? "inactive" : "active"} tokens`}
            {search.isFetching && <span className="ml-2">· Updating…</span>}
          </p>
          {selectedTokens.length > 0 && <BulkRevokeBar tokens={selectedTokens} onClear={() => setSelected(new Set())} afterRevoke={focusSummary} asAdmin={asAdmin} />}
          {data.total === 0 ? (
            <div className="rounded-2xl border-2 border-dashed border-line bg-surface px-6 py-10 text-center">
              <h2 className="text-base font-semibold">{filtered ? "No token matches" : inactive ? "No inactive tokens" : "No active tokens"}</h2>
              <p className="mt-1 text-sm text-fg-muted">
                {filtered
                  ? "Try other words, or another status."
                  : inactive
                    ? "Expired and revoked tokens are listed here."
                    : asAdmin
                      ? "Nobody here holds a working token."
                      : "Create a token to call your APIs with a Bearer header."}
              </p>
              {filtered && (
                <Button variant="secondary" className="mt-4" onClick={() => changeView({ ...DEFAULT_VIEW, owner: view.owner, state: inactive ? "inactive" : "active" })}>
                  Clear search and filters
                </Button>
              )}
            </div>
          ) : narrow ? (
            <TokenCards {...listProps} />
          ) : (
            <TokenTable {...listProps} />
          )}
          <ExpiringNote tokens={tokens} />
          {data.total > data.pageSize && <TokenPager view={view} total={data.total} totalExact={data.totalExact} onChange={changeView} />}
        </>
      )}
    </>
  );
}

/** Administrators choose whose tokens the page lists: the choice lives in the URL with the rest of the view. */
function WhoseTokens() {
  const { me } = useMe();
  const [view, setView] = useUrlState(viewFromParams, paramsFromView);
  if (!me?.isAdmin) return null;
  return <OwnerSelect owner={view.owner} onChange={(owner) => setView((current) => ({ ...current, owner, page: 1 }))} />;
}

export function TokensScreen() {
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 id="tokens-heading" className="text-2xl font-semibold tracking-tight">
            Tokens
          </h1>
          <p className="text-sm text-fg-muted">
            Access tokens for your APIs. Send one as <code className="rounded bg-sunken px-1 text-fg">Authorization: Bearer …</code>
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Suspense fallback={null}>
            <WhoseTokens />
          </Suspense>
          <NewTokenDialog />
        </div>
      </div>
      {/* useSearchParams needs a boundary; the list shows its own skeleton while loading. */}
      <Suspense fallback={<Skeleton label="Loading tokens…" lines={6} />}>
        <TokenList />
      </Suspense>
    </div>
  );
}
