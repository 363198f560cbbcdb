"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { ConfirmButton } from "../confirm-button";

/** Deletes a user; `afterDelete` runs once the dialog has closed (by default, focus goes to the heading). */
export function DeleteUserButton({ username, afterDelete }: { username: string; afterDelete?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.user.remove.mutationOptions());
  return (
    <ConfirmButton
      label="Delete"
      ariaLabel={`Delete ${username}`}
      title={`Delete ${username}?`}
      description="The user can no longer sign in, and every token they hold is refused from the next request on."
      confirmLabel="Delete user"
      pending={remove.isPending}
      onConfirm={async () => {
        try {
          const result = await remove.mutateAsync({ username });
          toast.success(`Deleted ${username} and revoked ${result.tokensRevoked} token(s)`);
        } catch (error) {
          toast.error(`Could not delete the user. ${errorMessage(error)}`);
          return false;
        }
        return true;
      }}
      afterConfirm={() => {
        // The user's row (and this button) leaves the table: focus goes to the page's heading.
        document.getElementById("users-heading")?.focus();
        void queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() });
        afterDelete?.();
      }}
    />
  );
}
