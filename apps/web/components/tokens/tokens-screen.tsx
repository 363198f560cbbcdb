"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { NewTokenDialog } from "./new-token-dialog";
import { TokenTable } from "./token-table";

export function TokensScreen() {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.token.list.queryOptions());
  return (
    <section aria-labelledby="tokens-heading">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="tokens-heading" className="text-2xl font-semibold tracking-tight">
            Tokens
          </h1>
          <p className="mt-1 text-sm text-slate-500">
            Access tokens for your APIs. Send one as <code className="rounded bg-slate-100 px-1">Authorization: Bearer …</code>
          </p>
        </div>
        <NewTokenDialog />
      </div>
      {tokens.isPending && <p className="text-sm text-slate-500">Loading tokens…</p>}
      {tokens.isError && (
        <p role="alert" className="text-sm text-red-600">
          Could not load tokens: {errorMessage(tokens.error)}
        </p>
      )}
      {tokens.data && <TokenTable tokens={tokens.data} />}
    </section>
  );
}
