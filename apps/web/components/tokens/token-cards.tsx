"use client";

import Link from "next/link";
import { linkClass } from "../ui";
import { Countdown, Endpoints, LastUsed, StateBadge, UsesLeft } from "./token-bits";
import { CreatedBy, SelectAllBox, SelectBox, TokenActions, TokenTitle, type TokenListProps } from "./token-table";
import { UsageSparkline } from "./usage-sparkline";
import { OwnerKind } from "../service-accounts/service-badge";

/** Narrow screens: one card per token, everything in view without sideways scrolling. */
export function TokenCards({ tokens, selected, onToggle, onToggleAll, afterAction, asAdmin, me }: TokenListProps) {
  return (
    <div>
      <label className="mb-2 flex items-center gap-2 px-1 text-sm text-fg-muted">
        <SelectAllBox tokens={tokens} selected={selected} onToggleAll={onToggleAll} />
        Select all on this page
      </label>
      <ul aria-label="Tokens" className="space-y-2">
        {tokens.map((token) => (
          <li
            key={token.id}
            data-token-id={token.id}
            className={`rounded-xl px-3 py-2.5 shadow-sm ring-1 ring-line ${selected.has(token.id) ? "bg-indigo-50 dark:bg-indigo-950/60" : "bg-surface"}`}
          >
            <div className="flex items-start gap-3">
              <span className="pt-0.5">
                <SelectBox token={token} selected={selected.has(token.id)} onToggle={onToggle} />
              </span>
              <div className="min-w-0 flex-1 space-y-1.5">
                <div className="flex items-start justify-between gap-2">
                  <span className="min-w-0">
                    <TokenTitle token={token} />
                  </span>
                  <StateBadge token={token} />
                  <UsesLeft token={token} />
                </div>
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                  <Countdown token={token} />
                  <Endpoints endpoints={token.endpoints} />
                  <CreatedBy token={token} />
                  {asAdmin && (
                    <Link href={`/users/${encodeURIComponent(token.username ?? "")}`} className={linkClass}>
                      {token.username}
                    </Link>
                  )}
                  {asAdmin && <OwnerKind token={token} />}
                </div>
                <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
                  <span className="inline-flex items-center gap-2">
                    <LastUsed token={token} />
                    {token.lastUsedAt && <UsageSparkline id={token.id} />}
                  </span>
                  <TokenActions token={token} afterAction={afterAction} asAdmin={asAdmin} me={me} />
                </div>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
