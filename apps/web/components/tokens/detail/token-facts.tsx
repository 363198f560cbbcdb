"use client";

import type { ReactNode } from "react";
import type { TokenView } from "@tokensmith/api";
import { formatDate, formatLifetime } from "@/lib/format";
import { useClock } from "@/lib/clock";
import { EXPIRING_RULE, stateAt } from "@/lib/token-state";
import { Countdown, Endpoints, StateBadge } from "../token-bits";

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-3 sm:grid-cols-[10rem_1fr] sm:gap-4">
      <dt className="text-sm font-medium text-fg-muted">{term}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

/** Every fact about one token, as a description list; the "Expires soon" rule only for a token in that state. */
export function TokenFacts({ token, owner }: { token: TokenView; owner: string }) {
  const state = useClock((now) => stateAt(token, now));
  const stopsAhead = token.retiresAt !== null && token.retiresAt < token.expiresAt;
  return (
    <dl className="divide-y divide-line">
      <Fact term="Status">
        <StateBadge token={token} />
        {state === "expiring" && <p className="mt-1 text-xs text-fg-muted">{EXPIRING_RULE}</p>}
      </Fact>
      <Fact term="Id">
        <code className="break-all text-fg">{token.id}</code>
      </Fact>
      <Fact term="Description">{token.description}</Fact>
      <Fact term="User">{owner}</Fact>
      <Fact term="Created">{formatDate(token.createdAt)}</Fact>
      <Fact term="Expires">
        {formatDate(token.expiresAt)}
        {state !== "revoked" && state !== "expired" && (
          <>
            {" · "}
            <Countdown token={token} />
          </>
        )}
      </Fact>
      <Fact term="Lifetime">{formatLifetime(token.lifeSeconds)}</Fact>
      {token.retiresAt && stopsAhead && (
        <Fact term={state === "revoked" ? "Stopped" : "Stops"}>
          {formatDate(token.retiresAt)}
          {token.rotatedToId ? " (rotated)" : " (revoked)"}
        </Fact>
      )}
      <Fact term="Allowed endpoints">
        <Endpoints endpoints={token.endpoints} max={50} />
      </Fact>
      <Fact term="Rate limit">
        {token.rateLimit
          ? `${token.rateLimit.requests.toLocaleString("en-US")} requests per ${formatLifetime(token.rateLimit.perSeconds).replace(/^1 /, "")}`
          : "None"}
      </Fact>
      <Fact term="Uses left">
        {token.maxUses === null ? "No limit" : `${(token.usesLeft ?? 0).toLocaleString("en-US")} of ${token.maxUses.toLocaleString("en-US")}`}
      </Fact>
      <Fact term="Allowed addresses">
        {token.allowedIps ? (
          <ul className="space-y-0.5">
            {token.allowedIps.map((range) => (
              <li key={range}>
                <code>{range}</code>
              </li>
            ))}
          </ul>
        ) : (
          "Any address"
        )}
      </Fact>
      <Fact term="Audience">
        {token.audience ? (
          <ul className="space-y-0.5">
            {token.audience.map((audience) => (
              <li key={audience}>
                <code>{audience}</code>
              </li>
            ))}
          </ul>
        ) : (
          "None"
        )}
      </Fact>
      <Fact term="Last used">
        {token.lastUsedAt ? (
          <>
            {formatDate(token.lastUsedAt)}
            {token.lastUsedIp && <> from {token.lastUsedIp}</>}
          </>
        ) : (
          "Never used"
        )}
      </Fact>
    </dl>
  );
}
