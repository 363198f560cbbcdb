"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { DataTable } from "../data-table";

const STATE_STYLE = {
  delivered: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  pending: "bg-amber-50 text-amber-800 ring-amber-200",
  failed: "bg-red-50 text-red-700 ring-red-200",
} as const;

/** An endpoint's latest deliveries with each attempt's outcome; refreshed while the page is open. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const trpc = useTRPC();
  const log = useQuery({ ...trpc.webhook.deliveries.queryOptions({ id: webhookId }), refetchInterval: 2000 });
  if (log.isError) return <p role="alert" className="text-sm text-red-600">Could not load deliveries: {errorMessage(log.error)}</p>;
  if (!log.data) return <p className="text-sm text-slate-500">Loading deliveries…</p>;
  if (log.data.deliveries.length === 0) return <p className="text-sm text-slate-500">No deliveries yet.</p>;
  return (
    <DataTable headers={["Event", "Status", "Attempts", "Last result", "Queued"]}>
      {log.data.deliveries.map((delivery) => {
        const last = delivery.attempt_log.at(-1);
        return (
          <tr key={delivery.id}>
            <td className="px-4 py-3">
              <div className="font-medium text-slate-900">{delivery.event_type}</div>
              <div className="font-mono text-xs text-slate-500">{delivery.event_id}</div>
            </td>
            <td className="px-3 py-3">
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATE_STYLE[delivery.state]}`}>{delivery.state}</span>
              {delivery.next_attempt_at && <div className="mt-1 text-xs text-slate-500">next try {formatDate(delivery.next_attempt_at)}</div>}
            </td>
            <td className="px-3 py-3 text-slate-600">{delivery.attempts}</td>
            <td className="px-3 py-3 text-slate-600">
              {last ? `${last.status_code ?? last.error ?? "—"} · ${last.duration_ms} ms` : "—"}
            </td>
            <td className="whitespace-nowrap px-3 py-3 text-slate-600">{formatDate(delivery.created_at)}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}
