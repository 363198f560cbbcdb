"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { ConfirmButton } from "../confirm-button";

/** Grants or takes back introspection of any user's tokens (a resource server's account). */
export function IntrospectionButton({ username, introspect }: { username: string; introspect: "own" | "any" }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const change = useMutation(trpc.user.setIntrospection.mutationOptions());
  const grant = introspect === "own";
  return (
    <ConfirmButton
      label={grant ? "Allow any" : "Own only"}
      ariaLabel={grant ? `Allow any: let ${username} introspect every user's tokens` : `Own only: let ${username} introspect its own tokens only`}
      title={grant ? `Let ${username} introspect any token?` : `Limit ${username} to its own tokens?`}
      description={
        grant
          ? "For a resource server's account: it may ask /v1alpha/introspect about every user's tokens, and the client_ip it reports is recorded as where a token was last used."
          : "It will learn about its own tokens only; another user's token is answered as inactive."
      }
      confirmLabel={grant ? "Allow any token" : "Own tokens only"}
      pending={change.isPending}
      onConfirm={async () => {
        try {
          await change.mutateAsync({ username, introspect: grant ? "any" : "own" });
          toast.success(grant ? `${username} may introspect any token` : `${username} may introspect its own tokens only`);
        } catch (error) {
          toast.error(`Could not change it. ${errorMessage(error)}`);
          return false;
        }
        return true;
      }}
      afterConfirm={() => void queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() })}
    />
  );
}
