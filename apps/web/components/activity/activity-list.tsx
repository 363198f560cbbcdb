"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { Button } from "../ui";
import { DataTable } from "../data-table";

const LABELS: Record<string, string> = {
  "token.create": "Token created",
  "token.rotate": "Token rotated",
  "token.revoke": "Token revoked",
  "token.reuse_detected": "Reuse detected: family revoked",
  "auth.login_success": "Signed in",
  "auth.login_failure": "Sign-in failed",
  "user.create": "User created",
  "user.delete": "User deleted",
  "user.password_reset": "Password reset",
};
const ALERTS = new Set(["token.reuse_detected", "auth.login_failure"]);

export function ActivityList() {
  const trpc = useTRPC();
  const activity = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions({ limit: 25 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const events = activity.data?.pages.flatMap((page) => page.events) ?? [];
  return (
    <section aria-labelledby="activity-heading">
      <h1 id="activity-heading" className="text-2xl font-semibold tracking-tight">Activity</h1>
      <p className="mb-6 mt-1 text-sm text-slate-500">Token and sign-in events, newest first.</p>
      {activity.isPending && <p className="text-sm text-slate-500">Loading activity…</p>}
      {activity.isError && <p role="alert" className="text-sm text-red-600">Could not load activity: {errorMessage(activity.error)}</p>}
      {activity.data && events.length === 0 && <p className="text-sm text-slate-500">Nothing has happened yet.</p>}
      {events.length > 0 && (
        <DataTable headers={["When", "Event", "Who", "Token", "From"]}>
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-600">{formatDate(event.at)}</td>
                  <td className={`px-4 py-3 font-medium ${ALERTS.has(event.action) ? "text-red-700" : "text-slate-900"}`}>
                    {LABELS[event.action] ?? event.action}
                  </td>
                  <td className="px-4 py-3 text-slate-700">{event.username ?? "—"}</td>
                  <td className="px-4 py-3 font-mono text-xs text-slate-500">{event.tokenId ? event.tokenId.slice(0, 8) : "—"}</td>
                  <td className="px-4 py-3 text-slate-600">
                    {event.ip ?? "—"}
                    {event.userAgent && <div className="max-w-xs truncate text-xs text-slate-400" title={event.userAgent}>{event.userAgent}</div>}
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
    </section>
  );
}
