"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button } from "../ui";

/** Try a failed delivery once more (same webhook-id); the server allows ten a minute. */
export function RedeliverButton({ webhookId, deliveryId, label }: { webhookId: string; deliveryId: string; label: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const redeliver = useMutation(
    trpc.webhook.redeliver.mutationOptions({
      onSuccess: () => {
        toast.success("Redelivery queued");
        void queryClient.invalidateQueries(trpc.webhook.pathFilter());
      },
      onError: (error) => toast.error(`Could not redeliver: ${errorMessage(error)}`),
    }),
  );
  return (
    <Button variant="secondary" size="sm" aria-label={`Redeliver ${label}`} disabled={redeliver.isPending} onClick={() => redeliver.mutate({ id: webhookId, deliveryId })}>
      {redeliver.isPending ? "Queuing…" : "Redeliver"}
    </Button>
  );
}
