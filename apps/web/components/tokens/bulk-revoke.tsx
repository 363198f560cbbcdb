"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import type { TokenView } from "@tokensmith/api";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { ConfirmButton } from "../confirm-button";
import { Button } from "../ui";
import { tokenName } from "./token-bits";

const LISTED = 8;

/** The bar that appears with a selection: revoke them all behind one confirmation (as an administrator: any user's). */
export function BulkRevokeBar({ tokens, onClear, afterRevoke, asAdmin }: { tokens: (Pick<TokenView, "id" | "description"> & { username?: string })[]; onClear: () => void; afterRevoke: () => void; asAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const own = useMutation(trpc.token.revokeMany.mutationOptions());
  const admin = useMutation(trpc.admin.revokeMany.mutationOptions());
  const revokeMany = asAdmin ? admin : own;
  const count = tokens.length;
  const noun = count === 1 ? "token" : "tokens";
  return (
    <div
      role="region"
      aria-label="Selection"
      className="sticky top-2 z-10 mb-3 flex flex-wrap items-center justify-between gap-3 rounded-xl bg-indigo-50 px-4 py-3 text-sm ring-1 ring-indigo-200 dark:bg-indigo-950 dark:ring-indigo-800"
    >
      <span className="font-medium text-indigo-950 dark:text-indigo-100">
        {count} {noun} selected
      </span>
      <span className="flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" onClick={onClear}>
          Clear selection
        </Button>
        <ConfirmButton
          label={`Revoke ${count} selected ${noun}`}
          variant="danger"
          title={`Revoke ${count} ${noun}?`}
          description={
            <>
              <p>They stop working immediately, with every token they created. This cannot be undone.</p>
              <ul className="mt-3 list-disc space-y-0.5 pl-5 text-fg">
                {tokens.slice(0, LISTED).map((t) => (
                  <li key={t.id} className="break-words">
                    {tokenName(t)}
                    {asAdmin && t.username ? ` · ${t.username}` : ""}
                  </li>
                ))}
                {count > LISTED && <li>and {count - LISTED} more</li>}
              </ul>
            </>
          }
          confirmLabel={`Revoke ${count} ${noun}`}
          pending={revokeMany.isPending}
          onConfirm={async () => {
            try {
              const result = await revokeMany.mutateAsync({ ids: tokens.map((t) => t.id) });
              toast.success(`Revoked ${result.revoked.length} ${result.revoked.length === 1 ? "token" : "tokens"}`);
            } catch (error) {
              toast.error(`Could not revoke the tokens. ${errorMessage(error)}`);
              return false;
            }
            return true;
          }}
          afterConfirm={() => {
            onClear();
            afterRevoke();
            void queryClient.invalidateQueries(trpc.token.pathFilter());
            void queryClient.invalidateQueries(trpc.admin.pathFilter());
            void queryClient.invalidateQueries(trpc.user.list.queryFilter());
          }}
        />
      </span>
    </div>
  );
}
