"use client";

import type { TokenView } from "@tokensmith/api";
import { useClock } from "@/lib/clock";
import { formatDate, formatRemaining, shortId } from "@/lib/format";
import { EXPIRING_RULE, isRetiring, stateAt, STATE_LABELS, type StatefulToken, type TokenState } from "@/lib/token-state";
import { Badge, type BadgeTone } from "../ui";

const TONES: Record<TokenState, BadgeTone> = { valid: "green", expiring: "amber", expired: "grey", revoked: "red" };

/** What a person calls a token, unique even between rotation twins: its description and id prefix. */
export const tokenName = (token: { description: string; id: string }) => `${token.description} (${shortId(token.id)})`;

/** The status at the page's clock: re-renders only when it changes (valid → expiring → expired). */
/** `pausedAt` where the view has it (a lineage link does not): a paused token shows Paused beside its state. */
export function StateBadge({ token }: { token: StatefulToken & { pausedAt?: string | null } }) {
  const state = useClock((now) => stateAt(token, now));
  const retiring = useClock((now) => state !== "revoked" && state !== "expired" && isRetiring(token, now));
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={TONES[state]} title={state === "expiring" ? EXPIRING_RULE : undefined}>
        {STATE_LABELS[state]}
      </Badge>
      {token.pausedAt != null && state !== "revoked" && state !== "expired" && (
        <Badge tone="violet" title={`Paused ${formatDate(token.pausedAt)}: refused everywhere until resumed.`}>
          Paused
        </Badge>
      )}
      {retiring && (
        <Badge tone="violet" title={`Stops at ${formatDate(token.retiresAt)}: it was rotated with an overlap.`}>
          Retiring
        </Badge>
      )}
    </span>
  );
}

/**
 * When it stops, on the page clock: time left to its expiry, or — while a rotation's overlap runs
 * — to the end of the overlap ("stops in 9 min 58 s"); when it ended, for one that has.
 */
export function Countdown({ token }: { token: TokenView }) {
  const text = useClock((now) => {
    const state = stateAt(token, now);
    if (state === "revoked") return `Stopped ${formatDate(token.retiresAt)}`;
    if (state === "expired") return `Expired ${formatDate(token.expiresAt)}`;
    if (isRetiring(token, now)) return `Stops in ${formatRemaining((new Date(token.retiresAt!).getTime() - now) / 1000)}`;
    return formatRemaining((new Date(token.expiresAt).getTime() - now) / 1000);
  });
  return (
    <span className="whitespace-nowrap tabular-nums text-fg" data-testid="remaining" title={`Expires ${formatDate(token.expiresAt)}`}>
      {text}
    </span>
  );
}

/** Allowed endpoints; compact (the first, and how many more) unless `max` says otherwise. */
export function Endpoints({ endpoints, max = 1 }: { endpoints: string[] | null; max?: number }) {
  if (endpoints === null) return <span className="text-xs text-fg-muted">All endpoints</span>;
  const shown = endpoints.slice(0, max);
  return (
    <span className="flex min-w-0 flex-wrap gap-1" aria-label="Allowed endpoints" title={endpoints.join("\n")}>
      {shown.map((e) => (
        <code key={e} className="max-w-full truncate rounded bg-sunken px-1.5 py-0.5 text-[11px] text-fg">
          {e}
        </code>
      ))}
      {endpoints.length > max && <span className="whitespace-nowrap text-xs text-fg-muted">+{endpoints.length - max} more</span>}
    </span>
  );
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });

/** "5 min. ago", "yesterday": how long since, in one unit. */
function since(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  for (const [size, unit] of [[86_400, "day"], [3600, "hour"], [60, "minute"]] as const) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

/** When it was last used and from where, or that it never was. */
export function LastUsed({ token }: { token: TokenView }) {
  const ago = useClock((now) => (token.lastUsedAt ? since(token.lastUsedAt, now) : null));
  if (!token.lastUsedAt) return <span className="whitespace-nowrap text-fg-muted">Never used</span>;
  return (
    <span className="whitespace-nowrap text-fg-muted" title={`${formatDate(token.lastUsedAt)}${token.lastUsedIp ? ` from ${token.lastUsedIp}` : ""}`}>
      {ago}
      {token.lastUsedIp && <span className="sr-only"> from {token.lastUsedIp}</span>}
    </span>
  );
}

/** Tokens that can still be revoked: working ones (an expired or revoked one is history). */
export const isActionable = (token: TokenView, now: number) => {
  const state = stateAt(token, now);
  return state === "valid" || state === "expiring";
};
// A use-limited token is never rotated (the replacement would refill its uses), nor a paused one (its replacement would not be paused).
export const canRotate = (token: TokenView, now: number) => isActionable(token, now) && !token.rotatedToId && token.maxUses === null && token.pausedAt === null;

/** A use-limited token's uses left; nothing for a token without a limit. */
export function UsesLeft({ token }: { token: Pick<TokenView, "maxUses" | "usesLeft"> }) {
  if (token.maxUses === null) return null;
  return (
    <div className="mt-1 text-xs text-fg-muted" data-uses-left>
      {(token.usesLeft ?? 0).toLocaleString("en-US")} of {token.maxUses.toLocaleString("en-US")} uses left
    </div>
  );
}
