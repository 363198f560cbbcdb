"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { DataTable } from "../data-table";
import { Badge } from "../ui";
import { DeliveryDetail } from "./delivery-detail";
import { RedeliverButton } from "./redeliver-button";

const STATE_TONE = { delivered: "green", pending: "amber", failed: "red" } as const;

/** An endpoint's latest deliveries with each one's outcome, a view of each, and redelivery of failures; refreshed while open. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const trpc = useTRPC();
  const log = useQuery({ ...trpc.webhook.deliveries.queryOptions({ id: webhookId }), refetchInterval: 2000 });
  if (log.isError) return <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load deliveries: {errorMessage(log.error)}</p>;
  if (!log.data) return <p className="text-sm text-fg-muted">Loading deliveries…</p>;
  if (log.data.deliveries.length === 0) return <p className="text-sm text-fg-muted">No deliveries yet.</p>;
  return (
    <DataTable label="Deliveries" columns={["Event", "Status", "Attempts", "Last result", "Queued", null]} stack>
      {log.data.deliveries.map((delivery) => {
        const last = delivery.attempt_log.at(-1);
        const label = `${delivery.event_type} ${delivery.event_id}`;
        return (
          <tr key={delivery.id} role="row" data-delivery-id={delivery.id}>
            <td role="cell" className="px-4 py-3">
              <div className="font-medium text-fg">{delivery.event_type}</div>
              <div className="break-all font-mono text-xs text-fg-muted">{delivery.event_id}</div>
            </td>
            <td role="cell" data-label="Status" className="px-3 py-3">
              <Badge tone={STATE_TONE[delivery.state]}>{delivery.state}</Badge>
              {delivery.next_attempt_at && <div className="mt-1 text-xs text-fg-muted">next try {formatDate(delivery.next_attempt_at)}</div>}
            </td>
            <td role="cell" data-label="Attempts" className="px-3 py-3 text-fg-muted">{delivery.attempts}</td>
            <td role="cell" data-label="Last result" className="px-3 py-3 text-fg-muted">
              {last ? `${last.status_code ?? last.error ?? "—"} · ${last.duration_ms} ms` : "—"}
            </td>
            <td role="cell" data-label="Queued" className="whitespace-nowrap px-3 py-3 text-fg-muted">{formatDate(delivery.created_at)}</td>
            <td role="cell" className="whitespace-nowrap px-3 py-3 text-right">
              <span className="inline-flex flex-wrap gap-2">
                <DeliveryDetail webhookId={webhookId} deliveryId={delivery.id} label={label} />
                {delivery.state === "failed" && <RedeliverButton webhookId={webhookId} deliveryId={delivery.id} label={label} />}
              </span>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
