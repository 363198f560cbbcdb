"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@tokensmith/api";
import { useTRPC, useTRPCClient } from "@/lib/trpc";

type CreateInput = inferRouterInputs<AppRouter>["token"]["create"];
type Created = inferRouterOutputs<AppRouter>["token"]["create"];

/**
 * The New token dialog's one mutation: the caller's own token, or — with `account` — a service
 * account's, issued by an administrator or one of its managers (the server checks which).
 */
export function useCreateToken(account: string | undefined, handlers: { onSuccess: (created: Created) => void; onError: (error: unknown) => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return useMutation({
    gcTime: 0,
    mutationFn: (input: CreateInput): Promise<Created> =>
      account === undefined ? client.token.create.mutate(input) : client.serviceAccount.issueToken.mutate({ ...input, name: account }),
    onSuccess: async (created) => {
      handlers.onSuccess(created);
      await queryClient.invalidateQueries(trpc.token.pathFilter());
      if (account !== undefined) await queryClient.invalidateQueries(trpc.serviceAccount.pathFilter());
    },
    onError: handlers.onError,
  });
}
