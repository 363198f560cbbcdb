"use client";

import { useEffect, useRef } from "react";
import Link from "next/link";
import type { TokenView } from "@tokensmith/api";
import { clockNow, useClock } from "@/lib/clock";
import { shortId } from "@/lib/format";
import { DataTable } from "../data-table";
import { linkClass } from "../ui";
import { canRotate, Countdown, Endpoints, isActionable, LastUsed, StateBadge, tokenName, UsesLeft } from "./token-bits";
import { RevokeButton } from "./revoke-button";
import { RotateButton } from "./rotate-button";
import { UsageSparkline } from "./usage-sparkline";
import { OwnerKind } from "../service-accounts/service-badge";

/** A token in a list: an administrator's view of every user's tokens names whose each one is. */
export type ListedToken = TokenView & { username?: string; accountType?: "person" | "service" };

export interface TokenListProps {
  tokens: ListedToken[];
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
  /** Where focus goes after an action that may remove a row. */
  afterAction: () => void;
  /** Every user's tokens (administrators): rows name their owner, and revoke as an administrator. */
  asAdmin: boolean;
  /** Who is looking: only their own tokens can be rotated. */
  me: string | undefined;
}

/** The title of a token, a link to its page; the id prefix tells rotation twins apart. */
export function TokenTitle({ token }: { token: TokenView }) {
  return (
    <Link href={`/tokens/${token.id}`} className={`${linkClass} inline-flex min-w-0 max-w-full items-baseline gap-1.5`} title={token.description}>
      <span className="truncate">{token.description}</span>
      <code className="shrink-0 text-xs font-normal text-fg-muted">{shortId(token.id)}</code>
    </Link>
  );
}

/** The token whose request created this one (it stops when that one does), as a link. */
export function CreatedBy({ token }: { token: TokenView }) {
  if (!token.createdByTokenId) return null;
  return (
    <span className="shrink-0 whitespace-nowrap text-xs text-fg-muted">
      by token{" "}
      <Link href={`/tokens/${token.createdByTokenId}`} className={linkClass}>
        <code>{shortId(token.createdByTokenId)}</code>
      </Link>
    </span>
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

/** Rotate (the viewer's own tokens) and Revoke, for tokens that still work: an expired one has nothing to stop. */
export function TokenActions({ token, afterAction, asAdmin, me }: { token: ListedToken; afterAction: () => void; asAdmin: boolean; me: string | undefined }) {
  const actionable = useClock((now) => isActionable(token, now));
  const own = !asAdmin || token.username === me;
  const rotatable = useClock((now) => own && canRotate(token, now));
  if (!actionable) return null;
  return (
    <span className="inline-flex gap-1.5">
      {rotatable && <RotateButton token={token} size="xs" />}
      <RevokeButton token={token} afterRevoke={afterAction} asAdmin={asAdmin && !own} size="xs" />
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

const cell = "px-3 py-1 align-middle";

/** Wide screens: one line per token, so a laptop screen holds about fifteen. */
export function TokenTable({ tokens, selected, onToggle, onToggleAll, afterAction, asAdmin, me }: TokenListProps) {
  return (
    <DataTable
      label="Tokens"
      dense
      columns={[
        { key: "select", label: <SelectAllBox tokens={tokens} selected={selected} onToggleAll={onToggleAll} />, className: "w-8" },
        "Token",
        ...(asAdmin ? ["User"] : []),
        "Endpoints",
        "Status",
        "Expires",
        "Last used",
        null,
      ]}
    >
      {tokens.map((token) => (
        <tr key={token.id} data-token-id={token.id} className={selected.has(token.id) ? "bg-indigo-50/60 dark:bg-indigo-950/40" : undefined}>
          <td className="py-1 pl-4 pr-1 align-middle">
            <SelectBox token={token} selected={selected.has(token.id)} onToggle={onToggle} />
          </td>
          <td className={`${cell} max-w-72`}>
            <span className="flex min-w-0 items-baseline gap-2">
              <TokenTitle token={token} />
              <CreatedBy token={token} />
            </span>
          </td>
          {asAdmin && (
            <td className={`${cell} max-w-40`}>
              <span className="flex min-w-0 items-center">
                <Link href={`/users/${encodeURIComponent(token.username ?? "")}`} className={`${linkClass} truncate`}>
                  {token.username}
                </Link>
                <OwnerKind token={token} />
              </span>
            </td>
          )}
          <td className={`${cell} max-w-48`}>
            <Endpoints endpoints={token.endpoints} />
          </td>
          <td className={cell}>
            <StateBadge token={token} />
            <UsesLeft token={token} />
          </td>
          <td className={cell}>
            <Countdown token={token} />
          </td>
          <td className={cell}>
            <span className="inline-flex items-center gap-2">
              <LastUsed token={token} />
              {token.lastUsedAt && <UsageSparkline id={token.id} />}
            </span>
          </td>
          <td className={`${cell} whitespace-nowrap text-right`}>
            <TokenActions token={token} afterAction={afterAction} asAdmin={asAdmin} me={me} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
