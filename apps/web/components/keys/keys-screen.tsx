"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { toast } from "sonner";
import type { KeyView } from "@tokensmith/api";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { DataTable } from "../data-table";
import { ConfirmButton } from "../confirm-button";

const STATE_LABELS: Record<KeyView["state"], { label: string; className: string }> = {
  next: { label: "Published", className: "bg-sky-50 text-sky-800 ring-sky-600/20" },
  current: { label: "Signing", className: "bg-emerald-50 text-emerald-800 ring-emerald-600/20" },
  retired: { label: "Retired", className: "bg-slate-100 text-slate-700 ring-slate-300" },
};

function nextChange(key: KeyView): string {
  if (!key.changesAt) return "—";
  return key.state === "next" ? `Signs from ${formatDate(key.changesAt)}` : `Dropped after ${formatDate(key.changesAt)}`;
}

/** Administrators: the signing keys, their states and live tokens, and a rotate button. */
export function KeysScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.keys.list.queryOptions());
  const rotate = useMutation(trpc.keys.rotate.mutationOptions());
  const forbidden = keys.error instanceof TRPCClientError && keys.error.data?.code === "FORBIDDEN";
  const pending = keys.data?.some((k) => k.state === "next");
  return (
    <section aria-labelledby="keys-heading">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="keys-heading" className="text-2xl font-semibold tracking-tight">Signing keys</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            New tokens are signed with the current key. A new key is published before it signs, so APIs that cache the
            key set see it first; a retired key stays published until the last token it signed expires.
          </p>
        </div>
        {keys.data && (
          <ConfirmButton
            label={pending ? "Rotation pending" : "Rotate key"}
            ariaLabel="Rotate the signing key"
            title="Rotate the signing key?"
            description="A new key is published now and signs new tokens once the publish delay has passed. Tokens already issued keep working until they expire."
            confirmLabel="Publish a new key"
            pending={rotate.isPending}
            onConfirm={async () => {
              try {
                const next = await rotate.mutateAsync();
                toast.success(`Key ${next.kid.slice(0, 8)}… published; it signs from ${formatDate(next.changesAt)}`);
              } catch (error) {
                toast.error(`Could not rotate: ${errorMessage(error)}`);
                return false;
              }
              await queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() });
              return true;
            }}
          />
        )}
      </div>
      {forbidden && <p role="alert" className="text-sm text-slate-700">Only administrators can see signing keys.</p>}
      {keys.isError && !forbidden && <p role="alert" className="text-sm text-red-700">Could not load keys: {errorMessage(keys.error)}</p>}
      {keys.data && (
        <DataTable headers={["Key id", "Algorithm", "State", "Live tokens", "Created", "Next change"]}>
          {keys.data.map((key) => (
            <tr key={key.kid}>
              <td className="px-4 py-3"><code className="text-xs text-slate-800" title={key.kid}>{key.kid.slice(0, 16)}…</code></td>
              <td className="px-3 py-3 text-slate-700">{key.alg}</td>
              <td className="px-3 py-3">
                <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATE_LABELS[key.state].className}`}>
                  {STATE_LABELS[key.state].label}
                </span>
              </td>
              <td className="px-3 py-3 text-slate-700">{key.liveTokens}</td>
              <td className="whitespace-nowrap px-3 py-3 text-slate-700">{formatDate(key.createdAt)}</td>
              <td className="px-3 py-3 text-slate-700">{nextChange(key)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
