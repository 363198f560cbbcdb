"use client";

import type { TokenView } from "@tokensmith/api";
import { useClock } from "@/lib/clock";
import { formatDate, formatRemaining, shortId } from "@/lib/format";
import { EXPIRING_RULE, isRetiring, stateAt, STATE_LABELS, type TokenState } from "@/lib/token-state";
import { Badge, type BadgeTone } from "../ui";

const TONES: Record<TokenState, BadgeTone> = { valid: "green", expiring: "amber", expired: "grey", revoked: "red" };

/** What a person calls a token, unique even between rotation twins: its description and id prefix. */
export const tokenName = (token: { description: string; id: string }) => `${token.description} (${shortId(token.id)})`;

/** The status at the page's clock: re-renders only when it changes (valid → expiring → expired). */
export function StateBadge({ token }: { token: TokenView }) {
  const state = useClock((now) => stateAt(token, now));
  const retiring = useClock((now) => state !== "revoked" && state !== "expired" && isRetiring(token, now));
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={TONES[state]} title={state === "expiring" ? EXPIRING_RULE : undefined}>
        {STATE_LABELS[state]}
      </Badge>
      {retiring && (
        <Badge tone="violet" title={`Stops at ${formatDate(token.retiresAt)}: it was rotated with an overlap.`}>
          Retiring
        </Badge>
      )}
    </span>
  );
}

/** Time left, from the one page clock; re-renders only when the text changes. */
export function Countdown({ token }: { token: TokenView }) {
  const text = useClock((now) => {
    const state = stateAt(token, now);
    if (state === "revoked") return "—";
    return formatRemaining((new Date(token.expiresAt).getTime() - now) / 1000);
  });
  return (
    <span className="whitespace-nowrap font-mono text-fg" data-testid="remaining">
      {text}
    </span>
  );
}

export function Endpoints({ endpoints, max = 3 }: { endpoints: string[] | null; max?: number }) {
  if (endpoints === null) return <span className="text-xs text-fg-muted">All endpoints</span>;
  const shown = endpoints.slice(0, max);
  return (
    <span className="flex flex-wrap gap-1" aria-label="Allowed endpoints">
      {shown.map((e) => (
        <code key={e} className="break-all rounded bg-sunken px-1.5 py-0.5 text-[11px] text-fg">
          {e}
        </code>
      ))}
      {endpoints.length > max && <span className="text-xs text-fg-muted">+{endpoints.length - max} more</span>}
    </span>
  );
}

export function LastUsed({ token }: { token: TokenView }) {
  return (
    <span className="text-fg-muted">
      {formatDate(token.lastUsedAt)}
      {token.lastUsedIp && <span className="block text-xs">from {token.lastUsedIp}</span>}
    </span>
  );
}

/** Tokens that can still be acted on; a revoked one is history. */
export const isActionable = (token: TokenView, now: number) => stateAt(token, now) !== "revoked";
export const canRotate = (token: TokenView, now: number) => {
  const state = stateAt(token, now);
  // A use-limited token is never rotated (the replacement would refill its uses).
  return (state === "valid" || state === "expiring") && !token.rotatedToId && token.maxUses === null;
};

/** A use-limited token's uses left; nothing for a token without a limit. */
export function UsesLeft({ token }: { token: Pick<TokenView, "maxUses" | "usesLeft"> }) {
  if (token.maxUses === null) return null;
  return (
    <div className="mt-1 text-xs text-fg-muted" data-uses-left>
      {(token.usesLeft ?? 0).toLocaleString("en-US")} of {token.maxUses.toLocaleString("en-US")} uses left
    </div>
  );
}
