"use client";

import { useState } from "react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { DataTable } from "../data-table";
import { QueryError, Skeleton } from "../query-state";
import { Button } from "../ui";
import { ConfirmButton } from "../confirm-button";
import { BulkRevokeBar } from "../tokens/bulk-revoke";
import { tokenName } from "../tokens/token-bits";
import { ServiceBadge } from "../service-accounts/service-badge";

/**
 * Tokens in force that break the policy now in force for their owner: a policy change never ends
 * them by itself, so an administrator decides here — one by one, or a selection at once.
 */
export function ViolationsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const pages = useInfiniteQuery(
    trpc.policy.violations.infiniteQueryOptions({ limit: 100 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const revoke = useMutation(trpc.admin.revokeToken.mutationOptions());
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.policy.violations.pathFilter());
    document.getElementById("violations-heading")?.focus();
  };
  const tokens = pages.data?.pages.flatMap((page) => page.tokens) ?? [];
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const chosen = tokens.filter((t) => selected.has(t.id));
  return (
    // Not a region of its own: the table below is the region of this name.
    <div className="space-y-3">
      <h2 id="violations-heading" tabIndex={-1} className="text-lg font-semibold outline-none">
        Tokens that break a policy
      </h2>
      <p className="text-sm text-fg-muted">Made before a policy changed, they keep working until they expire or you revoke them.</p>
      {pages.isPending && <Skeleton label="Loading the tokens that break a policy…" lines={3} />}
      {pages.isError && <QueryError what="the tokens that break a policy" error={pages.error} onRetry={() => void pages.refetch()} retrying={pages.isFetching} />}
      {pages.data && tokens.length === 0 && <p className="rounded-2xl px-4 py-6 text-sm text-fg-muted ring-1 ring-line">Every token in force keeps the policies.</p>}
      {chosen.length > 0 && <BulkRevokeBar tokens={chosen} onClear={() => setSelected(new Set())} afterRevoke={refresh} asAdmin />}
      {tokens.length > 0 && (
        <DataTable label="Tokens that break a policy" columns={[null, "Token", "Owner", "Expires", "Breaks", null]} stack>
          {tokens.map((token) => (
            <tr key={token.id} role="row">
              <td role="cell" className="px-4 py-3">
                <input type="checkbox" aria-label={`Select ${tokenName(token)}`} checked={selected.has(token.id)} onChange={() => toggle(token.id)} />
              </td>
              <td role="cell" className="px-3 py-3 font-medium break-words">{tokenName(token)}</td>
              <td role="cell" data-label="Owner" className="px-3 py-3 text-fg-muted">
                <span className="inline-flex flex-wrap items-center gap-2">
                  <span className="break-all">{token.username}</span>
                  {token.accountType === "service" && <ServiceBadge />}
                </span>
              </td>
              <td role="cell" data-label="Expires" className="whitespace-nowrap px-3 py-3 text-fg-muted">{formatDate(token.expiresAt)}</td>
              <td role="cell" data-label="Breaks" className="px-3 py-3">
                <ul className="list-disc space-y-0.5 pl-4 text-fg-muted">
                  {token.breaches.map((breach) => (
                    <li key={breach}>{breach}</li>
                  ))}
                </ul>
              </td>
              <td role="cell" className="whitespace-nowrap px-3 py-3 text-right">
                <ConfirmButton
                  label="Revoke"
                  ariaLabel={`Revoke ${tokenName(token)}`}
                  title={`Revoke ${tokenName(token)}?`}
                  description={`It stops working immediately, with every token it created. ${token.username} has to be given a new one that keeps the policy.`}
                  confirmLabel="Revoke token"
                  variant="danger"
                  pending={revoke.isPending}
                  onConfirm={async () => {
                    try {
                      await revoke.mutateAsync({ id: token.id });
                      toast.success(`Revoked ${tokenName(token)}`);
                    } catch (error) {
                      toast.error(`Could not revoke the token. ${errorMessage(error)}`);
                      return false;
                    }
                    return true;
                  }}
                  afterConfirm={refresh}
                />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {pages.hasNextPage && (
        <Button variant="secondary" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {pages.isFetchingNextPage ? "Loading…" : "Show more"}
        </Button>
      )}
    </div>
  );
}
