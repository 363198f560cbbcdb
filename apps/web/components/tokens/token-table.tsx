"use client";

import { useEffect, useRef } from "react";
import Link from "next/link";
import type { TokenView } from "@tokensmith/api";
import { clockNow, useClock } from "@/lib/clock";
import { formatDate, shortId } from "@/lib/format";
import { DataTable } from "../data-table";
import { linkClass } from "../ui";
import { canRotate, Countdown, Endpoints, isActionable, LastUsed, StateBadge, tokenName, UsesLeft } from "./token-bits";
import { RevokeButton } from "./revoke-button";
import { RotateButton } from "./rotate-button";
import { UsageSparkline } from "./usage-sparkline";

export interface TokenListProps {
  tokens: TokenView[];
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
  /** Where focus goes after an action that may remove a row. */
  afterAction: () => void;
}

/** The title of a token, a link to its page; the id prefix tells rotation twins apart. */
export function TokenTitle({ token }: { token: TokenView }) {
  return (
    <Link href={`/tokens/${token.id}`} className={`${linkClass} break-words`}>
      <span>{token.description}</span> <code className="ml-1 whitespace-nowrap text-xs font-normal text-fg-muted">{shortId(token.id)}</code>
    </Link>
  );
}

export function SelectBox({ token, selected, onToggle }: { token: TokenView; selected: boolean; onToggle: (id: string, on: boolean) => void }) {
  // On the page clock: a token whose end passes while shown loses its box without a refetch.
  const actionable = useClock((now) => isActionable(token, now));
  if (!actionable) return null;
  return (
    <input
      type="checkbox"
      className="h-4 w-4 accent-indigo-600"
      aria-label={`Select ${tokenName(token)}`}
      checked={selected}
      onChange={(e) => onToggle(token.id, e.target.checked)}
    />
  );
}

export function TokenActions({ token, afterAction }: { token: TokenView; afterAction: () => void }) {
  const actionable = useClock((now) => isActionable(token, now));
  const rotatable = useClock((now) => canRotate(token, now));
  if (!actionable) return null;
  return (
    <span className="inline-flex gap-1.5">
      {rotatable && <RotateButton token={token} afterDone={afterAction} />}
      <RevokeButton token={token} afterRevoke={afterAction} />
    </span>
  );
}

/** The "select every token on this page" box, mixed when some are. */
export function SelectAllBox({ tokens, selected, onToggleAll }: Pick<TokenListProps, "tokens" | "selected" | "onToggleAll">) {
  const box = useRef<HTMLInputElement>(null);
  const selectable = tokens.filter((t) => isActionable(t, clockNow()));
  const count = selectable.filter((t) => selected.has(t.id)).length;
  useEffect(() => {
    if (box.current) box.current.indeterminate = count > 0 && count < selectable.length;
  }, [count, selectable.length]);
  return (
    <input
      ref={box}
      type="checkbox"
      className="h-4 w-4 accent-indigo-600"
      aria-label="Select every token on this page"
      disabled={selectable.length === 0}
      checked={selectable.length > 0 && count === selectable.length}
      onChange={(e) => onToggleAll(e.target.checked)}
    />
  );
}

/** Wide screens: one row per token. */
export function TokenTable({ tokens, selected, onToggle, onToggleAll, afterAction }: TokenListProps) {
  return (
    <DataTable
      label="Tokens"
      columns={[
        { key: "select", label: <SelectAllBox tokens={tokens} selected={selected} onToggleAll={onToggleAll} />, className: "w-8" },
        "Token",
        "Expires",
        "Status",
        "Last used",
        { key: "usage", label: "Use, 24 h" },
        null,
      ]}
    >
      {tokens.map((token) => (
        <tr key={token.id} data-token-id={token.id} className={selected.has(token.id) ? "bg-indigo-50/60 dark:bg-indigo-950/40" : undefined}>
          <td className="py-3 pl-4 pr-1 align-top">
            <SelectBox token={token} selected={selected.has(token.id)} onToggle={onToggle} />
          </td>
          <td className="max-w-xs px-3 py-3 align-top">
            <TokenTitle token={token} />
            <div className="mt-1">
              <Endpoints endpoints={token.endpoints} />
            </div>
            <div className="mt-1 text-xs text-fg-muted">
              Created {formatDate(token.createdAt)}
              {token.createdByTokenId && (
                <>
                  {" "}
                  by token{" "}
                  <Link href={`/tokens/${token.createdByTokenId}`} className={linkClass}>
                    <code>{shortId(token.createdByTokenId)}</code>
                  </Link>
                </>
              )}
            </div>
          </td>
          <td className="whitespace-nowrap px-3 py-3 align-top text-fg-muted">
            {formatDate(token.expiresAt)}
            <div className="mt-1">
              <Countdown token={token} />
            </div>
          </td>
          <td className="px-3 py-3 align-top">
            <StateBadge token={token} />
            <UsesLeft token={token} />
          </td>
          <td className="px-3 py-3 align-top">
            <LastUsed token={token} />
          </td>
          <td className="px-3 py-3 align-top">
            <UsageSparkline id={token.id} />
          </td>
          <td className="whitespace-nowrap px-3 py-3 text-right align-top">
            <TokenActions token={token} afterAction={afterAction} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
