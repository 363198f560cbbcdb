"use client";

import { useState } from "react";
import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button } from "../ui";

export function RevokeButton({ id, description }: { id: string; description: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const revoke = useMutation(
    trpc.token.revoke.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        toast.success(`Token “${description}” revoked`);
        await queryClient.invalidateQueries({ queryKey: trpc.token.list.queryKey() });
      },
      onError: (error) => toast.error(`Could not revoke: ${errorMessage(error)}`),
    }),
  );
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger asChild>
        <Button variant="secondary" aria-label={`Revoke ${description}`}>Revoke</Button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 bg-slate-900/40" />
        <AlertDialog.Content className="fixed left-1/2 top-1/2 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-2xl bg-white p-6 shadow-xl">
          <AlertDialog.Title className="text-lg font-semibold">Revoke this token?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-slate-600">
            “{description}” stops working immediately. Anything using it will get 401 from the next request on. This cannot be undone.
          </AlertDialog.Description>
          <div className="mt-6 flex justify-end gap-3">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary">Cancel</Button>
            </AlertDialog.Cancel>
            <Button variant="danger" onClick={() => revoke.mutate({ id })} disabled={revoke.isPending}>
              {revoke.isPending ? "Revoking…" : "Revoke token"}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
