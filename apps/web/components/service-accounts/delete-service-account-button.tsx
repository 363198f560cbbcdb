"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatCount } from "@/lib/format";
import { ConfirmButton } from "../confirm-button";

/** Deletes a service account: every token it holds is revoked with it, as the dialog says. */
export function DeleteServiceAccountButton({ account, liveTokens }: { account: string; liveTokens: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.serviceAccount.remove.mutationOptions());
  const tokens = liveTokens === 1 ? "its 1 live token is" : `its ${formatCount(liveTokens)} live tokens are`;
  return (
    <ConfirmButton
      label="Delete"
      ariaLabel={`Delete ${account}`}
      title={`Delete ${account}?`}
      description={`The service account is deleted and ${tokens} revoked: anything still using them gets 401 from the next request on. This cannot be undone.`}
      confirmLabel="Delete service account"
      pending={remove.isPending}
      onConfirm={async () => {
        try {
          const result = await remove.mutateAsync({ name: account });
          toast.success(`Deleted ${account} and revoked ${result.tokensRevoked} token(s)`);
        } catch (error) {
          toast.error(`Could not delete the service account. ${errorMessage(error)}`);
          return false;
        }
        return true;
      }}
      afterConfirm={() => {
        document.getElementById("service-accounts-heading")?.focus();
        void queryClient.invalidateQueries(trpc.serviceAccount.pathFilter());
        void queryClient.invalidateQueries(trpc.user.list.queryFilter());
      }}
    />
  );
}
