"use client";

import Link from "next/link";
import { formatDate, shortId } from "@/lib/format";
import { linkClass } from "../ui";
import { Countdown, Endpoints, LastUsed, StateBadge, UsesLeft } from "./token-bits";
import { SelectAllBox, SelectBox, TokenActions, TokenTitle, type TokenListProps } from "./token-table";
import { UsageSparkline } from "./usage-sparkline";

/** Narrow screens: one card per token, everything in view without sideways scrolling. */
export function TokenCards({ tokens, selected, onToggle, onToggleAll, afterAction }: TokenListProps) {
  return (
    <div>
      <label className="mb-2 flex items-center gap-2 px-1 text-sm text-fg-muted">
        <SelectAllBox tokens={tokens} selected={selected} onToggleAll={onToggleAll} />
        Select all on this page
      </label>
      <ul aria-label="Tokens" className="space-y-3">
        {tokens.map((token) => (
          <li
            key={token.id}
            data-token-id={token.id}
            className={`rounded-2xl p-4 shadow-sm ring-1 ring-line ${selected.has(token.id) ? "bg-indigo-50 dark:bg-indigo-950/60" : "bg-surface"}`}
          >
            <div className="flex items-start gap-3">
              <span className="pt-0.5">
                <SelectBox token={token} selected={selected.has(token.id)} onToggle={onToggle} />
              </span>
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <TokenTitle token={token} />
                  <StateBadge token={token} />
                  <UsesLeft token={token} />
                </div>
                <div className="mt-2">
                  <Endpoints endpoints={token.endpoints} />
                </div>
                <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                  <dt className="text-fg-muted">Expires</dt>
                  <dd>
                    {formatDate(token.expiresAt)} · <Countdown token={token} />
                  </dd>
                  <dt className="text-fg-muted">Created</dt>
                  <dd>
                    {formatDate(token.createdAt)}
                    {token.createdByTokenId && (
                      <>
                        {" "}
                        by token{" "}
                        <Link href={`/tokens/${token.createdByTokenId}`} className={linkClass}>
                          <code>{shortId(token.createdByTokenId)}</code>
                        </Link>
                      </>
                    )}
                  </dd>
                  <dt className="text-fg-muted">Last used</dt>
                  <dd>
                    <LastUsed token={token} />
                  </dd>
                </dl>
                <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
                  <UsageSparkline id={token.id} />
                  <TokenActions token={token} afterAction={afterAction} />
                </div>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
