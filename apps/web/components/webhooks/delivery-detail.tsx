"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { Button } from "../ui";
import { DialogClose, Modal, modalFooterClass } from "../modal";
import { RedeliverButton } from "./redeliver-button";

const preClass = "max-h-48 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-sunken p-3 font-mono text-xs text-fg ring-1 ring-inset ring-line";

/** The body sent, indented when it is JSON. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** One delivery in a dialog: the request sent (never the signature) and each attempt with the start of its answer. */
export function DeliveryDetail({ webhookId, deliveryId, label }: { webhookId: string; deliveryId: string; label: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const detail = useQuery(trpc.webhook.delivery.queryOptions({ id: webhookId, deliveryId }, { enabled: open }));
  const data = detail.data;
  return (
    <Modal
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button variant="secondary" size="sm" aria-label={`View ${label}`}>
          View
        </Button>
      }
      title="Delivery"
      description={data ? `${data.event_type}, queued ${formatDate(data.created_at)}: ${data.state}` : "Loading…"}
    >
      <div className="space-y-5">
        {detail.isError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{errorMessage(detail.error)}</p>}
        {data && (
          <>
            <section aria-labelledby="delivery-request" className="space-y-2">
              <h3 id="delivery-request" className="text-sm font-semibold">Request</h3>
              <pre className={preClass} tabIndex={0} aria-label="Request headers">
                {Object.entries(data.request.headers)
                  .map(([name, value]) => `${name}: ${value}`)
                  .join("\n")}
              </pre>
              <pre className={preClass} tabIndex={0} aria-label="Request body">
                {pretty(data.request.body)}
              </pre>
              <p className="text-xs text-fg-muted">
                {data.request.body_truncated ? "The first 16 KiB of the body. " : ""}Signed with webhook-timestamp and webhook-signature (not shown).
              </p>
            </section>
            <section aria-labelledby="delivery-attempts" className="space-y-2">
              <h3 id="delivery-attempts" className="text-sm font-semibold">Attempts</h3>
              {data.attempt_log.length === 0 && <p className="text-sm text-fg-muted">Not tried yet.</p>}
              <ol className="space-y-3">
                {data.attempt_log.map((attempt) => (
                  <li key={attempt.attempt} className="space-y-1 text-sm">
                    <p>
                      <strong>#{attempt.attempt}</strong> {formatDate(attempt.at)} · {attempt.status_code !== null ? `answered ${attempt.status_code}` : attempt.error} · {attempt.duration_ms} ms
                    </p>
                    {attempt.response_body !== null ? (
                      <pre className={preClass} tabIndex={0} aria-label={`Answer to attempt ${attempt.attempt}`}>
                        {attempt.response_body || "(empty)"}
                      </pre>
                    ) : (
                      attempt.status_code !== null && <p className="text-xs text-fg-muted">The answer is not kept: the receiver is on a private address.</p>
                    )}
                  </li>
                ))}
              </ol>
            </section>
          </>
        )}
        <div className={modalFooterClass}>
          {data?.state === "failed" && <RedeliverButton webhookId={webhookId} deliveryId={deliveryId} label={label} />}
          <DialogClose asChild>
            <Button variant="secondary">Close</Button>
          </DialogClose>
        </div>
      </div>
    </Modal>
  );
}
