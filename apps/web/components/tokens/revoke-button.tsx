"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { ConfirmButton } from "../confirm-button";

export function RevokeButton({ id, description }: { id: string; description: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.token.revoke.mutationOptions());
  return (
    <ConfirmButton
      label="Revoke"
      ariaLabel={`Revoke ${description}`}
      title="Revoke this token?"
      description={`“${description}” stops working immediately. Anything using it will get 401 from the next request on. Tokens it created stop too. This cannot be undone.`}
      confirmLabel="Revoke token"
      pending={revoke.isPending}
      onConfirm={async () => {
        try {
          await revoke.mutateAsync({ id });
        } catch (error) {
          toast.error(`Could not revoke: ${errorMessage(error)}`);
          return false;
        }
        toast.success(`Token “${description}” revoked`);
        await queryClient.invalidateQueries({ queryKey: trpc.token.list.queryKey() });
        return true;
      }}
    />
  );
}
