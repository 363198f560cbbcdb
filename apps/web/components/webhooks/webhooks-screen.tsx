"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { Button, Badge } from "../ui";
import { DataTable } from "../data-table";
import { ConfirmButton } from "../confirm-button";
import { NewWebhookDialog } from "./new-webhook-dialog";
import { DeliveryLog } from "./delivery-log";

export function WebhooksScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions());
  const webhooks = useQuery(trpc.webhook.list.queryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  const remove = useMutation(trpc.webhook.delete.mutationOptions());
  const test = useMutation(
    trpc.webhook.test.mutationOptions({
      onSuccess: (_, { id }) => {
        toast.success("Test event queued");
        setSelected(id);
        void queryClient.invalidateQueries({ queryKey: trpc.webhook.deliveries.queryKey({ id }) });
      },
      onError: (error) => toast.error(`Could not send a test event: ${errorMessage(error)}`),
    }),
  );
  const shown = webhooks.data?.webhooks.find((w) => w.id === selected);
  return (
    <section aria-labelledby="webhooks-heading" className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="webhooks-heading" className="text-2xl font-semibold tracking-tight">Webhooks</h1>
          <p className="mt-1 text-sm text-fg-muted">Signed events about your tokens, POSTed to your endpoints and retried for a day.</p>
        </div>
        {me.data && <NewWebhookDialog isAdmin={me.data.isAdmin} />}
      </div>
      {webhooks.isError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">Could not load webhooks: {errorMessage(webhooks.error)}</p>}
      {webhooks.data && webhooks.data.webhooks.length === 0 && <p className="text-sm text-fg-muted">No webhooks yet.</p>}
      {webhooks.data && webhooks.data.webhooks.length > 0 && (
        <DataTable label="Webhook endpoints" columns={["Endpoint", "Events", "Created", null]} stack>
          {webhooks.data.webhooks.map((webhook) => (
            <tr key={webhook.id} role="row" className={webhook.id === selected ? "bg-indigo-50/60 dark:bg-indigo-950/40" : undefined}>
              <td role="cell" className="max-w-xs break-all px-4 py-3 font-medium text-fg">
                {webhook.url}
                {webhook.scope === "all" && <span className="ml-2"><Badge tone="violet">every user</Badge></span>}
              </td>
              <td role="cell" data-label="Events" className="px-3 py-3 text-xs text-fg-muted">{webhook.events.join(", ")}</td>
              <td role="cell" data-label="Created" className="whitespace-nowrap px-3 py-3 text-fg-muted">{formatDate(webhook.created_at)}</td>
              <td role="cell" className="whitespace-nowrap px-3 py-3 text-right">
                <span className="inline-flex flex-wrap gap-2">
                  <Button variant="secondary" size="sm" aria-label={`Deliveries of ${webhook.url}`} onClick={() => setSelected(webhook.id)}>
                    Deliveries
                  </Button>
                  <Button variant="secondary" size="sm" aria-label={`Send test event to ${webhook.url}`} disabled={test.isPending} onClick={() => test.mutate({ id: webhook.id })}>
                    Send test event
                  </Button>
                  <ConfirmButton
                    label="Delete"
                    ariaLabel={`Delete ${webhook.url}`}
                    title="Delete this webhook?"
                    description="No further events are sent to it; its delivery log goes with it."
                    confirmLabel="Delete webhook"
                    pending={remove.isPending}
                    onConfirm={async () => {
                      try {
                        await remove.mutateAsync({ id: webhook.id });
                      } catch (error) {
                        toast.error(`Could not delete: ${errorMessage(error)}`);
                        return false;
                      }
                      if (selected === webhook.id) setSelected(null);
                      await queryClient.invalidateQueries({ queryKey: trpc.webhook.list.queryKey() });
                      return true;
                    }}
                  />
                </span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {shown && (
        <section aria-labelledby="deliveries-heading" className="space-y-3">
          <h2 id="deliveries-heading" className="text-lg font-semibold">Deliveries to {shown.url}</h2>
          <DeliveryLog webhookId={shown.id} />
        </section>
      )}
    </section>
  );
}
