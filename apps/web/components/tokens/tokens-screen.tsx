"use client";

import { Suspense, useCallback, useEffect, useRef, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { syncClock } from "@/lib/clock";
import { formatCount } from "@/lib/format";
import { DEFAULT_VIEW, paramsFromView, searchInput, viewFromParams, type TokenListView } from "@/lib/token-list-view";
import { useUrlState, type ViewChange } from "@/lib/use-url-state";
import { useNarrowScreen } from "@/lib/use-narrow";
import { QueryError, Skeleton } from "../query-state";
import { Button } from "../ui";
import { NewTokenDialog } from "./new-token-dialog";
import { TokenFilters } from "./token-filters";
import { TokenTable } from "./token-table";
import { TokenCards } from "./token-cards";
import { TokenPager } from "./token-pager";
import { BulkRevokeBar } from "./bulk-revoke";

function TokenList() {
  const trpc = useTRPC();
  const [view, setView] = useUrlState(viewFromParams, paramsFromView);
  const narrow = useNarrowScreen();
  const search = useQuery(trpc.token.search.queryOptions(searchInput(view), { placeholderData: keepPreviousData }));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // The summary line takes focus after an action that may remove rows (revoke, rotate).
  const summary = useRef<HTMLParagraphElement>(null);
  const focusSummary = useCallback(() => summary.current?.focus(), []);

  useEffect(() => {
    if (search.data && !search.isPlaceholderData) syncClock(search.data.now, search.dataUpdatedAt);
  }, [search.data, search.isPlaceholderData, search.dataUpdatedAt]);
  // A selection belongs to the rows in view: a new page, search or filter starts afresh.
  const viewKey = paramsFromView(view).toString();
  useEffect(() => setSelected(new Set()), [viewKey]);

  // A page that no longer exists (its last tokens were revoked): show the last one there is.
  useEffect(() => {
    if (search.data && search.data.tokens.length === 0 && search.data.total > 0 && view.page > 1) {
      setView({ ...view, page: Math.ceil(search.data.total / view.pageSize) }, "replace");
    }
  }, [search.data, view, setView]);

  const changeView = useCallback(
    (next: ViewChange<TokenListView>, mode: "push" | "replace" = "push") => setView(next, mode),
    [setView],
  );
  const data = search.data;
  const tokens = data?.tokens ?? [];
  const filtered = viewKey.replace(/(^|&)(sort|order|size|page)=[^&]*/g, "") !== "";
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const toggleAll = (on: boolean) => setSelected(on ? new Set(tokens.filter((t) => t.state !== "revoked").map((t) => t.id)) : new Set());
  const selectedTokens = tokens.filter((t) => selected.has(t.id));
  const first = data ? (data.page - 1) * data.pageSize + 1 : 0;
  const last = data ? first + data.tokens.length - 1 : 0;
  const listProps = { tokens, selected, onToggle: toggle, onToggleAll: toggleAll, afterAction: focusSummary };

  return (
    <>
      <TokenFilters view={view} onChange={changeView} />
      {search.isError && !data && <QueryError what="your tokens" error={search.error} onRetry={() => void search.refetch()} retrying={search.isFetching} />}
      {search.isPending && <Skeleton label="Loading tokens…" lines={6} />}
      {data && (
        <>
          {search.isError && <QueryError what="the newest list" error={search.error} onRetry={() => void search.refetch()} retrying={search.isFetching} />}
          <p ref={summary} tabIndex={-1} aria-live="polite" className="mb-3 text-sm text-fg-muted outline-none focus-visible:ring-2 focus-visible:ring-indigo-500" data-testid="results-summary">
            {data.total === 0 ? "No tokens found" : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(data.total)} tokens`}
            {search.isFetching && <span className="ml-2">· Updating…</span>}
          </p>
          {selectedTokens.length > 0 && <BulkRevokeBar tokens={selectedTokens} onClear={() => setSelected(new Set())} afterRevoke={focusSummary} />}
          {data.total === 0 ? (
            <div className="rounded-2xl border-2 border-dashed border-line bg-surface px-6 py-14 text-center">
              <h2 className="text-base font-semibold">{filtered ? "No token matches" : "No tokens yet"}</h2>
              <p className="mt-1 text-sm text-fg-muted">
                {filtered ? "Try other words, or another status." : "Create a token to call your APIs with a Bearer header."}
              </p>
              {filtered && (
                <Button variant="secondary" className="mt-4" onClick={() => changeView(DEFAULT_VIEW)}>
                  Clear search and filters
                </Button>
              )}
            </div>
          ) : narrow ? (
            <TokenCards {...listProps} />
          ) : (
            <TokenTable {...listProps} />
          )}
          {data.total > data.pageSize && <TokenPager view={view} total={data.total} onChange={changeView} />}
        </>
      )}
    </>
  );
}

export function TokensScreen() {
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="tokens-heading" className="text-2xl font-semibold tracking-tight">
            Tokens
          </h1>
          <p className="mt-1 text-sm text-fg-muted">
            Access tokens for your APIs. Send one as <code className="rounded bg-sunken px-1 text-fg">Authorization: Bearer …</code>
          </p>
        </div>
        <NewTokenDialog />
      </div>
      {/* useSearchParams needs a boundary; the list shows its own skeleton while loading. */}
      <Suspense fallback={<Skeleton label="Loading tokens…" lines={6} />}>
        <TokenList />
      </Suspense>
    </div>
  );
}
