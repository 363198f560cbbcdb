"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { ConfirmButton } from "../confirm-button";
import { tokenName } from "./token-bits";

/** Revoke one token; `afterRevoke` puts focus somewhere sensible, since a list row leaves with it. */
export function RevokeButton({ token, afterRevoke, size = "sm" }: { token: { id: string; description: string }; afterRevoke: () => void; size?: "sm" | "md" }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.token.revoke.mutationOptions());
  return (
    <ConfirmButton
      label="Revoke"
      ariaLabel={`Revoke ${tokenName(token)}`}
      size={size}
      title="Revoke this token?"
      description={`“${token.description}” stops working immediately. Anything using it will get 401 from the next request on. Tokens it created stop too. This cannot be undone.`}
      confirmLabel="Revoke token"
      pending={revoke.isPending}
      onConfirm={async () => {
        try {
          await revoke.mutateAsync({ id: token.id });
        } catch (error) {
          toast.error(`Could not revoke the token. ${errorMessage(error)}`);
          return false;
        }
        toast.success(`Token “${token.description}” revoked`);
        return true;
      }}
      afterConfirm={() => {
        afterRevoke();
        void queryClient.invalidateQueries(trpc.token.pathFilter());
      }}
    />
  );
}
