"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { syncClock, useClock } from "@/lib/clock";
import { isNotFound } from "@/lib/errors";
import { shortId } from "@/lib/format";
import { TokenNotFound } from "../../not-found-view";
import { QueryError, Skeleton } from "../../query-state";
import { linkClass } from "../../ui";
import { canRotate, isActionable } from "../token-bits";
import { RevokeButton } from "../revoke-button";
import { RotateButton } from "../rotate-button";
import { TokenFacts } from "./token-facts";
import { TokenLineage } from "./token-lineage";
import { TokenUsage } from "./token-usage";
import { TokenEvents } from "./token-events";

function Panel({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-2xl bg-surface p-5 shadow-sm ring-1 ring-line">
      <h2 id={id} className="mb-3 text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** One token: its facts, lineage, usage and events, with Revoke and Rotate. */
export function TokenDetailScreen({ id }: { id: string }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.token.detail.queryOptions({ id }));
  const heading = useRef<HTMLHeadingElement>(null);
  const token = detail.data?.token;
  // On the page clock (a revocation stamped by the server a moment "ahead" still counts once due).
  const actionable = useClock((now) => (token ? isActionable(token, now) : false));
  const rotatable = useClock((now) => (token ? canRotate(token, now) : false));
  // After a rotation, focus goes to the link to the new token once the refreshed detail shows it.
  const [focusRotatedTo, setFocusRotatedTo] = useState(false);
  useEffect(() => {
    if (!focusRotatedTo || !detail.data?.rotatedTo) return;
    document.getElementById("rotated-to-link")?.focus();
    setFocusRotatedTo(false);
  }, [focusRotatedTo, detail.data]);

  useEffect(() => {
    if (detail.data) syncClock(detail.data.now, detail.dataUpdatedAt);
  }, [detail.data, detail.dataUpdatedAt]);
  useEffect(() => {
    if (token) document.title = `${token.description} (${shortId(token.id)}) · Tokensmith`;
  }, [token]);

  const back = (
    <p className="mb-4 text-sm">
      <Link href="/tokens" className={linkClass}>
        ← All tokens
      </Link>
    </p>
  );
  if (detail.isError && isNotFound(detail.error)) return <TokenNotFound />;
  if (detail.isError && !detail.data) {
    return (
      <>
        {back}
        <QueryError what="this token" error={detail.error} onRetry={() => void detail.refetch()} retrying={detail.isFetching} />
      </>
    );
  }
  if (!detail.data || !token) {
    return (
      <>
        {back}
        <Skeleton label="Loading the token…" lines={8} />
      </>
    );
  }
  return (
    <article aria-labelledby="token-heading">
      {back}
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 id="token-heading" ref={heading} tabIndex={-1} className="break-words text-2xl font-semibold tracking-tight outline-none">
            {token.description} <code className="text-base font-normal text-fg-muted">{shortId(token.id)}</code>
          </h1>
        </div>
        {actionable && (
          <div className="flex gap-2">
            {rotatable && (
              <RotateButton
                token={token}
                size="md"
                afterDone={() => {
                  heading.current?.focus();
                  setFocusRotatedTo(true);
                }}
              />
            )}
            <RevokeButton token={token} size="md" afterRevoke={() => heading.current?.focus()} />
          </div>
        )}
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-6">
          <Panel title="Details" id="facts-heading">
            <TokenFacts token={token} />
          </Panel>
          <Panel title="Usage" id="usage-heading">
            <TokenUsage usage={detail.data.usage} />
          </Panel>
        </div>
        <div className="space-y-6">
          <Panel title="Lineage" id="lineage-heading">
            <TokenLineage detail={detail.data} />
          </Panel>
          <Panel title="Events" id="events-heading">
            <TokenEvents id={token.id} events={detail.data.events} />
          </Panel>
        </div>
      </div>
    </article>
  );
}
