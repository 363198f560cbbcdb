"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { DataTable } from "../data-table";
import { Badge } from "../ui";

const STATE_TONE = { delivered: "green", pending: "amber", failed: "red" } as const;

/** An endpoint's latest deliveries with each attempt's outcome; refreshed while the page is open. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const trpc = useTRPC();
  const log = useQuery({ ...trpc.webhook.deliveries.queryOptions({ id: webhookId }), refetchInterval: 2000 });
  if (log.isError) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load deliveries: {errorMessage(log.error)}</p>;
  if (!log.data) return <p className="text-sm text-fg-muted">Loading deliveries…</p>;
  if (log.data.deliveries.length === 0) return <p className="text-sm text-fg-muted">No deliveries yet.</p>;
  return (
    <DataTable label="Deliveries" columns={["Event", "Status", "Attempts", "Last result", "Queued"]}>
      {log.data.deliveries.map((delivery) => {
        const last = delivery.attempt_log.at(-1);
        return (
          <tr key={delivery.id}>
            <td className="px-4 py-3">
              <div className="font-medium text-fg">{delivery.event_type}</div>
              <div className="font-mono text-xs text-fg-muted">{delivery.event_id}</div>
            </td>
            <td className="px-3 py-3">
              <Badge tone={STATE_TONE[delivery.state]}>{delivery.state}</Badge>
              {delivery.next_attempt_at && <div className="mt-1 text-xs text-fg-muted">next try {formatDate(delivery.next_attempt_at)}</div>}
            </td>
            <td className="px-3 py-3 text-fg-muted">{delivery.attempts}</td>
            <td className="px-3 py-3 text-fg-muted">
              {last ? `${last.status_code ?? last.error ?? "—"} · ${last.duration_ms} ms` : "—"}
            </td>
            <td className="whitespace-nowrap px-3 py-3 text-fg-muted">{formatDate(delivery.created_at)}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}
