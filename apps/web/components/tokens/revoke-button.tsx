"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { ConfirmButton } from "../confirm-button";
import type { ButtonSize } from "../ui";
import { tokenName } from "./token-bits";

/**
 * Revoke one token; `afterRevoke` puts focus somewhere sensible, since a list row leaves with it.
 * `asAdmin`: another user's token, revoked as an administrator (the event names its owner).
 */
export function RevokeButton({
  token,
  afterRevoke,
  size = "sm",
  asAdmin = false,
}: {
  token: { id: string; description: string; username?: string };
  afterRevoke: () => void;
  size?: ButtonSize;
  asAdmin?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const own = useMutation(trpc.token.revoke.mutationOptions());
  const admin = useMutation(trpc.admin.revokeToken.mutationOptions());
  const revoke = asAdmin ? admin : own;
  const whose = asAdmin && token.username ? ` ${token.username}'s token` : "";
  return (
    <ConfirmButton
      label="Revoke"
      ariaLabel={`Revoke ${tokenName(token)}`}
      size={size}
      title={asAdmin ? `Revoke ${token.username ?? "this user"}'s token?` : "Revoke this token?"}
      description={`${whose ? `${whose.trim()} ` : ""}“${token.description}” stops working immediately. Anything using it will get 401 from the next request on. Tokens it created stop too. This cannot be undone.`}
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
        void queryClient.invalidateQueries(trpc.admin.pathFilter());
        void queryClient.invalidateQueries(trpc.user.list.queryFilter());
      }}
    />
  );
}
