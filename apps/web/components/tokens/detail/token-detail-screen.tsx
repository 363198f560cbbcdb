"use client";

import { useEffect, useRef, type ReactNode } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { syncClock, useClock } from "@/lib/clock";
import { isNotFound } from "@/lib/errors";
import { shortId } from "@/lib/format";
import { useMe } from "@/lib/use-me";
import { TokenNotFound } from "../../not-found-view";
import { QueryError, Skeleton } from "../../query-state";
import { linkClass } from "../../ui";
import { canRotate, isActionable } from "../token-bits";
import { RevokeButton } from "../revoke-button";
import { RotateButton } from "../rotate-button";
import { PauseButton } from "../pause-button";
import { TokenFacts } from "./token-facts";
import { TokenLineage } from "./token-lineage";
import { TokenUsage } from "./token-usage";
import { TokenEvents } from "./token-events";
import { TokenEndingNotice } from "./token-ending";
import { EditDescriptionButton } from "./edit-description";

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

/**
 * The caller's own token, or — for an administrator, when it is not theirs — any user's
 * (admin.tokenDetail). Another user's token is "not found" to everyone else.
 */
function useTokenDetail(id: string) {
  const trpc = useTRPC();
  const { me } = useMe();
  const own = useQuery(trpc.token.detail.queryOptions({ id }));
  const theirs = Boolean(me?.isAdmin) && own.isError && isNotFound(own.error);
  const any = useQuery(trpc.admin.tokenDetail.queryOptions({ id }, { enabled: theirs }));
  return { detail: theirs ? any : own, asAdmin: theirs };
}

/** One token: why it stopped (if it did), its facts, lineage, usage and events, with its actions. */
export function TokenDetailScreen({ id }: { id: string }) {
  const { detail, asAdmin } = useTokenDetail(id);
  const heading = useRef<HTMLHeadingElement>(null);
  const token = detail.data?.token;
  // On the page clock (a revocation stamped by the server a moment "ahead" still counts once due).
  const actionable = useClock((now) => (token ? isActionable(token, now) : false));
  const rotatable = useClock((now) => (token ? canRotate(token, now) : false));

  useEffect(() => {
    if (detail.data) syncClock(detail.data.now, detail.dataUpdatedAt);
  }, [detail.data, detail.dataUpdatedAt]);
  useEffect(() => {
    if (token) document.title = `${token.description} (${shortId(token.id)}) · Tokensmith`;
  }, [token]);
  // Arriving here (after a rotation, from a list): the heading takes focus, so a screen reader starts with it.
  const focused = useRef<string | null>(null);
  useEffect(() => {
    if (token && focused.current !== token.id) {
      focused.current = token.id;
      heading.current?.focus();
    }
  }, [token]);

  const back = (
    <p className="mb-4 text-sm">
      <Link href={asAdmin && detail.data ? `/users/${encodeURIComponent(detail.data.owner)}` : "/tokens"} className={linkClass}>
        {asAdmin && detail.data ? `← ${detail.data.owner}'s tokens` : "← All tokens"}
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
      <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 id="token-heading" ref={heading} tabIndex={-1} className="break-words text-2xl font-semibold tracking-tight outline-none">
            {token.description} <code className="text-base font-normal text-fg-muted">{shortId(token.id)}</code>
          </h1>
          {asAdmin && <p className="mt-1 text-sm text-fg-muted">A token of {detail.data.owner}: you see it as an administrator.</p>}
        </div>
        <div className="flex flex-wrap gap-2">
          {!asAdmin && token.state !== "revoked" && <EditDescriptionButton token={token} />}
          {actionable && !asAdmin && rotatable && <RotateButton token={token} size="md" />}
          {actionable && <PauseButton token={token} asAdmin={asAdmin} />}
          {actionable && <RevokeButton token={{ ...token, username: detail.data.owner }} size="md" asAdmin={asAdmin} afterRevoke={() => heading.current?.focus()} />}
        </div>
      </div>
      <div className="mb-6 empty:hidden">
        <TokenEndingNotice detail={detail.data} />
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-6">
          <Panel title="Details" id="facts-heading">
            <TokenFacts token={token} owner={detail.data.owner} />
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
