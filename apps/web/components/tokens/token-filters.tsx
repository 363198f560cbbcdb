"use client";

import { useEffect, useRef, useState } from "react";
import type { TokenListView } from "@/lib/token-list-view";
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

/** Typing settles this long before the list is asked again: one request per pause, not per key. */
const SEARCH_SETTLE_MS = 120;

/** Search box, status, endpoints and order: each change is a new view in the URL (page 1). */
export function TokenFilters({ view, onChange }: { view: TokenListView; onChange: (next: ViewChange<TokenListView>, mode?: "push" | "replace") => void }) {
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

  return (
    <div className="mb-4 space-y-2">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))]">
        <div className="col-span-2 lg:col-span-1">
          <label htmlFor="token-search" className="mb-1 block text-sm font-medium">
            Search
          </label>
          <TextInput
            id="token-search"
            type="search"
            placeholder="Description or id prefix"
            autoComplete="off"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={100}
          />
        </div>
        <div>
          <label htmlFor="token-state" className="mb-1 block text-sm font-medium">
            Status
          </label>
          <Select id="token-state" value={view.state} onChange={(e) => onChange((current) => ({ ...current, state: e.target.value as TokenListView["state"], page: 1 }))}>
            <option value="in_force">Not revoked</option>
            <option value="valid">Valid</option>
            <option value="expiring">Expires soon</option>
            <option value="expired">Expired</option>
            <option value="revoked">Revoked</option>
          </Select>
        </div>
        <div>
          <label htmlFor="token-endpoints" className="mb-1 block text-sm font-medium">
            Endpoints
          </label>
          <Select id="token-endpoints" value={view.endpoints} onChange={(e) => onChange((current) => ({ ...current, endpoints: e.target.value as TokenListView["endpoints"], page: 1 }))}>
            <option value="any">Any</option>
            <option value="limited">Limited to some</option>
            <option value="all">All endpoints</option>
          </Select>
        </div>
        <div className="col-span-2 lg:col-span-1">
          <label htmlFor="token-sort" className="mb-1 block text-sm font-medium">
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
      <p className="text-xs text-fg-muted">{EXPIRING_RULE}</p>
    </div>
  );
}
