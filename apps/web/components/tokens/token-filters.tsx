"use client";

import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { EVERYONE, tabOf, type StateFilter, type TokenListView } from "@/lib/token-list-view";
import type { ViewChange } from "@/lib/use-url-state";
import { EXPIRING_RULE } from "@/lib/token-state";
import { Select, TextInput } from "../ui";

const SORT_CHOICES = [
  ["created:desc", "Newest first"],
  ["created:asc", "Oldest first"],
  ["expires:asc", "Expiring first"],
  ["expires:desc", "Expiring last"],
  ["last_used:desc", "Recently used"],
  ["last_used:asc", "Least recently used"],
] as const;

const STATUS_CHOICES: Record<"active" | "inactive", [StateFilter, string][]> = {
  active: [
    ["active", "Any active"],
    ["valid", "Valid"],
    ["expiring", "Expires soon"],
  ],
  inactive: [
    ["inactive", "Any inactive"],
    ["expired", "Expired"],
    ["revoked", "Revoked"],
  ],
};

/** Typing settles this long before the list is asked again: one request per pause, not per key. */
const SEARCH_SETTLE_MS = 120;

const tabClass =
  "whitespace-nowrap px-3 py-2 text-sm font-medium text-fg-muted first:rounded-l-lg last:rounded-r-lg hover:text-fg aria-pressed:bg-indigo-600 aria-pressed:text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500";

/** Administrators: whose tokens the list shows — their own, every user's, or one user's. */
export function OwnerSelect({ owner, onChange }: { owner: string; onChange: (owner: string) => void }) {
  const trpc = useTRPC();
  const users = useQuery(trpc.user.list.queryOptions(undefined, { staleTime: 60_000 }));
  const names = users.data?.map((u) => u.username) ?? [];
  return (
    <div className="flex items-center gap-2">
      <label htmlFor="token-owner" className="whitespace-nowrap text-sm font-medium">
        Whose
      </label>
      <Select id="token-owner" className="w-44" value={owner} onChange={(e) => onChange(e.target.value)}>
        <option value="">My tokens</option>
        <option value={EVERYONE}>All users</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
        {owner && owner !== EVERYONE && !names.includes(owner) && <option value={owner}>{owner}</option>}
      </Select>
    </div>
  );
}

/**
 * Active / Inactive, then search, status, endpoints and order (and, for administrators, whose
 * tokens): each change is a new view in the URL (page 1). The "Expires soon" rule is explained
 * where it applies: with that filter.
 */
export function TokenFilters({
  view,
  onChange,
}: {
  view: TokenListView;
  onChange: (next: ViewChange<TokenListView>, mode?: "push" | "replace") => void;
}) {
  const [text, setText] = useState(view.q);
  // What this box last wrote: a different q in the URL came from back/forward or a link.
  const written = useRef(view.q);
  useEffect(() => {
    if (view.q !== written.current) {
      written.current = view.q;
      setText(view.q);
    }
  }, [view.q]);
  // The latest callback, read when the timer fires: other re-renders must not restart it.
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (text === written.current) return;
    const timer = setTimeout(() => {
      written.current = text;
      latest.current((current) => ({ ...current, q: text, page: 1 }), "replace");
    }, SEARCH_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const tab = tabOf(view.state);

  return (
    <div className="mb-2 space-y-2">
      <div className="grid grid-cols-2 items-center gap-x-3 gap-y-2 lg:grid-cols-[auto_minmax(0,2fr)_repeat(3,minmax(0,1fr))]">
        <div role="group" aria-label="Which tokens" className="col-span-2 inline-flex w-fit rounded-lg ring-1 ring-line-strong lg:col-span-1">
          {(["active", "inactive"] as const).map((t) => (
            <button key={t} type="button" aria-pressed={tab === t} className={tabClass} onClick={() => onChange((current) => ({ ...current, state: t, page: 1 }))}>
              {t === "active" ? "Active" : "Inactive"}
            </button>
          ))}
        </div>
        <div className="col-span-2 lg:col-span-1">
          <label htmlFor="token-search" className="sr-only">
            Search
          </label>
          <TextInput
            id="token-search"
            type="search"
            placeholder="Search by description or id"
            autoComplete="off"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={100}
          />
        </div>
        <div>
          <label htmlFor="token-state" className="sr-only">
            Status
          </label>
          <Select id="token-state" value={view.state} onChange={(e) => onChange((current) => ({ ...current, state: e.target.value as StateFilter, page: 1 }))}>
            {STATUS_CHOICES[tab].map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor="token-endpoints" className="sr-only">
            Endpoints
          </label>
          <Select id="token-endpoints" value={view.endpoints} onChange={(e) => onChange((current) => ({ ...current, endpoints: e.target.value as TokenListView["endpoints"], page: 1 }))}>
            <option value="any">Any endpoints</option>
            <option value="limited">Limited to some</option>
            <option value="all">All endpoints</option>
          </Select>
        </div>
        <div className="col-span-2 lg:col-span-1">
          <label htmlFor="token-sort" className="sr-only">
            Order
          </label>
          <Select
            id="token-sort"
            value={`${view.sort}:${view.order}`}
            onChange={(e) => {
              const [sort, order] = e.target.value.split(":") as [TokenListView["sort"], TokenListView["order"]];
              onChange((current) => ({ ...current, sort, order, page: 1 }));
            }}
          >
            {SORT_CHOICES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
      </div>
      {view.state === "expiring" && <p className="text-xs text-fg-muted">{EXPIRING_RULE}</p>}
    </div>
  );
}
