"use client";

import Link from "next/link";
import { eventLabel } from "@/lib/activity-view";
import { formatDate } from "@/lib/format";
import { linkClass } from "../../ui";
import type { TokenDetail } from "./token-lineage";

/** This token's audit events, newest first, with the way to the full filtered Activity. */
export function TokenEvents({ id, events }: { id: string; events: TokenDetail["events"] }) {
  if (events.length === 0) return <p className="text-sm text-fg-muted">No events recorded for this token.</p>;
  return (
    <>
      <ol className="divide-y divide-line text-sm">
        {events.map((event) => (
          <li key={event.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2">
            <span className="font-medium">{eventLabel(event)}</span>
            <span className="text-fg-muted">
              {formatDate(event.at)}
              {event.username && <> · {event.username}</>}
              {event.ip && <> · {event.ip}</>}
            </span>
          </li>
        ))}
      </ol>
      <p className="mt-3 text-sm">
        <Link href={`/activity?token=${id}`} className={linkClass}>
          All of this token&apos;s activity
        </Link>
      </p>
    </>
  );
}
