"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import type { KeyView } from "@tokensmith/api";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, isForbidden } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { DataTable } from "../data-table";
import { ConfirmButton } from "../confirm-button";
import { QueryError, Skeleton } from "../query-state";
import { Badge, type BadgeTone } from "../ui";

/** The API's and the CLI's names (next, current, retired), capitalised; what each means, beside it. */
const STATE_LABELS: Record<KeyView["state"], { label: string; tone: BadgeTone; means: string }> = {
  next: { label: "Next", tone: "blue", means: "published, signs next" },
  current: { label: "Current", tone: "green", means: "signs new tokens" },
  retired: { label: "Retired", tone: "grey", means: "verifies only" },
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
  const forbidden = isForbidden(keys.error);
  const pending = keys.data?.some((k) => k.state === "next");
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="keys-heading" className="text-2xl font-semibold tracking-tight">Signing keys</h1>
          <p className="mt-1 max-w-2xl text-sm text-fg-muted">
            New tokens are signed with the current key. A new key is published before it signs, so APIs that cache the
            key set see it first; a retired key stays published until the last token it signed expires.
          </p>
        </div>
        {keys.data && (
          <ConfirmButton
            label={pending ? "Rotation pending" : "Rotate key"}
            title="Rotate the signing key?"
            description="A new key is published now and signs new tokens once the publish delay has passed. Tokens already issued keep working until they expire."
            confirmLabel="Publish a new key"
            pending={rotate.isPending}
            onConfirm={async () => {
              try {
                const next = await rotate.mutateAsync();
                toast.success(`Key ${next.kid.slice(0, 8)}… published; it signs from ${formatDate(next.changesAt)}`);
              } catch (error) {
                toast.error(`Could not rotate the key. ${errorMessage(error)}`);
                return false;
              }
              await queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() });
              return true;
            }}
          />
        )}
      </div>
      {keys.isPending && <Skeleton label="Loading keys…" lines={2} />}
      {forbidden && <p role="alert" className="text-sm text-fg">Only administrators can see signing keys.</p>}
      {keys.isError && !forbidden && <QueryError what="the signing keys" error={keys.error} onRetry={() => void keys.refetch()} retrying={keys.isFetching} />}
      {keys.data && (
        <DataTable label="Signing keys" columns={["Key id", "Algorithm", "State", "Live tokens", "Created", "Next change"]} stack>
          {keys.data.map((key) => (
            <tr key={key.kid} role="row">
              <td role="cell" className="px-4 py-3"><code className="text-xs text-fg" title={key.kid}>{key.kid.slice(0, 16)}…</code></td>
              <td role="cell" data-label="Algorithm" className="px-3 py-3 text-fg">{key.alg}</td>
              <td role="cell" data-label="State" className="px-3 py-3">
                <Badge tone={STATE_LABELS[key.state].tone}>{STATE_LABELS[key.state].label}</Badge>
                <span className="ml-2 whitespace-nowrap text-xs text-fg-muted">{STATE_LABELS[key.state].means}</span>
              </td>
              <td role="cell" data-label="Live tokens" className="px-3 py-3 text-fg">{key.liveTokens}</td>
              <td role="cell" data-label="Created" className="whitespace-nowrap px-3 py-3 text-fg">{formatDate(key.createdAt)}</td>
              <td role="cell" data-label="Next change" className="px-3 py-3 text-fg">{nextChange(key)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
