"use client";

import Link from "next/link";
import { describeEvent } from "@/lib/activity-view";
import { formatDate, shortId } from "@/lib/format";
import { linkClass } from "../../ui";
import type { TokenDetail } from "./token-lineage";

/** This token's audit events (and the rotation that made it), newest first, with the way to the full Activity. */
export function TokenEvents({ id, events }: { id: string; events: TokenDetail["events"] }) {
  if (events.length === 0) return <p className="text-sm text-fg-muted">No events recorded for this token.</p>;
  return (
    <>
      <ol className="divide-y divide-line text-sm">
        {events.map((event) => {
          const { label, affected } = describeEvent(event);
          const made = event.tokenId !== id && event.action === "token.rotate";
          return (
            <li key={event.id} className="py-2">
              <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
                <span className="font-medium">{made ? `Made by rotating ${shortId(event.tokenId ?? "")}` : label}</span>
                <span className="text-fg-muted">
                  {formatDate(event.at)}
                  {event.username && <> · by {event.username}</>}
                  {event.ip && <> · {event.ip}</>}
                </span>
              </div>
              {affected && !made && <p className="mt-0.5 text-fg-muted">{affected}</p>}
            </li>
          );
        })}
      </ol>
      <p className="mt-3 text-sm">
        <Link href={`/activity?token=${id}`} className={linkClass}>
          All of this token&apos;s activity
        </Link>
      </p>
    </>
  );
}
