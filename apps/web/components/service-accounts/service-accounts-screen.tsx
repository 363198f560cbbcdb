"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { useMe } from "@/lib/use-me";
import { formatCount } from "@/lib/format";
import { DataTable } from "../data-table";
import { QueryError, Skeleton } from "../query-state";
import { linkClass } from "../ui";
import { NewTokenDialog } from "../tokens/new-token-dialog";
import { ServiceBadge } from "./service-badge";
import { NewServiceAccountDialog } from "./new-service-account-dialog";
import { ManagersDialog } from "./managers-dialog";
import { DeleteServiceAccountButton } from "./delete-service-account-button";

/**
 * Service accounts: administrators see them all, create, delete and name managers; a manager sees
 * the ones they manage. Both issue tokens for them with the New token dialog.
 */
export function ServiceAccountsScreen() {
  const trpc = useTRPC();
  const { me } = useMe();
  const accounts = useQuery(trpc.serviceAccount.list.queryOptions());
  const isAdmin = Boolean(me?.isAdmin);
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="service-accounts-heading" tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">
            Service accounts
          </h1>
          <p className="mt-1 text-sm text-fg-muted">
            Non-human accounts: they cannot sign in, and their tokens outlive the person who issued them.
            {isAdmin ? " Name managers to let a person issue tokens for one." : " You manage these: issue tokens for them here."}
          </p>
        </div>
        {accounts.data && isAdmin && <NewServiceAccountDialog />}
      </div>
      {accounts.isPending && <Skeleton label="Loading service accounts…" lines={3} />}
      {accounts.isError && <QueryError what="service accounts" error={accounts.error} onRetry={() => void accounts.refetch()} retrying={accounts.isFetching} />}
      {accounts.data && accounts.data.length === 0 && (
        <p className="rounded-2xl px-4 py-6 text-sm text-fg-muted ring-1 ring-line">
          {isAdmin ? "No service accounts yet." : "You manage no service accounts. An administrator can name you a manager of one."}
        </p>
      )}
      {accounts.data && accounts.data.length > 0 && (
        <DataTable label="Service accounts" columns={["Name", "Description", "Managers", "Live tokens", null]} stack>
          {accounts.data.map((account) => (
            <tr key={account.id} role="row">
              <td role="cell" className="px-4 py-3 font-medium">
                <span className="inline-flex flex-wrap items-center gap-2">
                  {isAdmin ? (
                    <Link href={`/users/${encodeURIComponent(account.name)}`} className={`${linkClass} break-all`}>
                      {account.name}
                    </Link>
                  ) : (
                    <span className="break-all">{account.name}</span>
                  )}
                  <ServiceBadge />
                </span>
              </td>
              <td role="cell" data-label="Description" className="px-4 py-3 text-fg-muted">{account.description || "—"}</td>
              <td role="cell" data-label="Managers" className="px-4 py-3 text-fg-muted">{account.managers.length > 0 ? account.managers.join(", ") : "None"}</td>
              <td role="cell" data-label="Live tokens" className="px-4 py-3 text-fg-muted">{formatCount(account.activeTokens)}</td>
              <td role="cell" className="whitespace-nowrap px-4 py-3 text-right">
                <span className="inline-flex flex-wrap gap-2">
                  <NewTokenDialog account={account.name} />
                  {isAdmin && <ManagersDialog account={account.name} managers={account.managers} />}
                  {isAdmin && <DeleteServiceAccountButton account={account.name} liveTokens={account.activeTokens} />}
                </span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
