"use client";

import { Suspense } from "react";
import Link from "next/link";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { formatDate, shortId } from "@/lib/format";
import { activityInput, activityViewFromParams, describeEvent, paramsFromActivityView } from "@/lib/activity-view";
import { useUrlState } from "@/lib/use-url-state";
import { useMe } from "@/lib/use-me";
import { Button, linkClass } from "../ui";
import { DataTable } from "../data-table";
import { QueryError, Skeleton } from "../query-state";
import { ActivityFilters } from "./activity-filters";
import { ServiceBadge } from "../service-accounts/service-badge";

const ALERTS = new Set(["token.reuse_detected", "auth.login_failure"]);

/** "User deleted: alice": what happened, and to whom. */
function EventCell({ event }: { event: Parameters<typeof describeEvent>[0] & { action: string } }) {
  const { label, affected } = describeEvent(event);
  const alert = ALERTS.has(event.action) || event.detail?.reason === "reuse_detected" || event.detail?.reason === "leaked";
  return (
    <>
      <span className={`font-medium ${alert ? "text-red-700 dark:text-red-300" : ""}`}>{label}</span>
      {affected && <span className="text-fg">: {affected}</span>}
    </>
  );
}

function ActivityEvents() {
  const trpc = useTRPC();
  const { me } = useMe();
  const [view, setView] = useUrlState(activityViewFromParams, paramsFromActivityView);
  const activity = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(activityInput(view), { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const events = activity.data?.pages.flatMap((page) => page.events) ?? [];
  const filtered = Boolean(view.action || view.user || view.token);
  return (
    <>
      <ActivityFilters view={view} isAdmin={Boolean(me?.isAdmin)} onChange={(next) => setView(next)} />
      {activity.isPending && <Skeleton label="Loading activity…" lines={6} />}
      {activity.isError && <QueryError what="activity" error={activity.error} onRetry={() => void activity.refetch()} retrying={activity.isFetching} />}
      {activity.data && events.length === 0 && (
        <p className="rounded-2xl bg-surface px-4 py-8 text-center text-sm text-fg-muted ring-1 ring-line">
          {filtered ? "No event matches these filters." : "Nothing has happened yet."}
        </p>
      )}
      {events.length > 0 && (
        <DataTable label="Activity" columns={["When", "Event", "By", "Token", "From"]}>
          {events.map((event) => (
            <tr key={event.id}>
              <td className="whitespace-nowrap px-4 py-3 text-fg-muted">{formatDate(event.at)}</td>
              <td className="px-3 py-3">
                <EventCell event={event} />
              </td>
              <td className="px-3 py-3">
                {event.username ? `by ${event.username}` : "—"}
                {event.accountType === "service" && <span className="ml-2"><ServiceBadge /></span>}
              </td>
              <td className="px-3 py-3 font-mono text-xs">
                {!event.tokenId ? (
                  "—"
                ) : // Another user's token has a page for administrators only (to others it would be "not found").
                !me || me.isAdmin || event.username === me.username ? (
                  <Link href={`/tokens/${event.tokenId}`} className={linkClass} aria-label={`Token ${shortId(event.tokenId)}`}>
                    {shortId(event.tokenId)}
                  </Link>
                ) : (
                  <span title={event.tokenId}>{shortId(event.tokenId)}</span>
                )}
                {event.tokenDescription && (
                  <span className="ml-1.5 font-sans text-fg-muted" data-testid="token-description">
                    {event.tokenDescription}
                  </span>
                )}
              </td>
              <td className="px-3 py-3 text-fg-muted">
                {event.ip ?? "—"}
                {event.userAgent && (
                  <div className="max-w-xs truncate text-xs" title={event.userAgent}>
                    {event.userAgent}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {activity.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button variant="secondary" onClick={() => activity.fetchNextPage()} disabled={activity.isFetchingNextPage}>
            {activity.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      )}
    </>
  );
}

export function ActivityList() {
  return (
    <div>
      <h1 id="activity-heading" className="text-2xl font-semibold tracking-tight">
        Activity
      </h1>
      <p className="mb-6 mt-1 text-sm text-fg-muted">Token and sign-in events, newest first.</p>
      <Suspense fallback={<Skeleton label="Loading activity…" lines={6} />}>
        <ActivityEvents />
      </Suspense>
    </div>
  );
}
