"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { isForbidden } from "@/lib/errors";
import { useMe } from "@/lib/use-me";
import { formatCount, formatDate } from "@/lib/format";
import { NewUserDialog } from "./new-user-dialog";
import { ResetPasswordButton } from "./reset-password-button";
import { DeleteUserButton } from "./delete-user-button";
import { IntrospectionButton } from "./introspection-button";
import { DataTable } from "../data-table";
import { QueryError, Skeleton } from "../query-state";
import { linkClass } from "../ui";

/** Administrators: every user, with the way to their tokens; on a phone each user is a block of lines. */
export function UsersScreen() {
  const trpc = useTRPC();
  const { me } = useMe();
  const users = useQuery(trpc.user.list.queryOptions());
  const forbidden = isForbidden(users.error);
  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="users-heading" tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">Users</h1>
          <p className="mt-1 text-sm text-fg-muted">Who may sign in and issue tokens. Each user sees only their own tokens; open a user to see and revoke theirs.</p>
        </div>
        {users.data && <NewUserDialog />}
      </div>
      {users.isPending && <Skeleton label="Loading users…" lines={3} />}
      {forbidden && <p role="alert" className="text-sm text-fg">Only administrators can manage users.</p>}
      {users.isError && !forbidden && <QueryError what="users" error={users.error} onRetry={() => void users.refetch()} retrying={users.isFetching} />}
      {users.data && (
        <DataTable label="Users" columns={["Username", "Role", "Introspects", "Active tokens", "Created", null]} stack>
          {users.data.map((user) => (
            <tr key={user.id} role="row">
              <td role="cell" className="px-4 py-3 font-medium">
                <Link href={`/users/${encodeURIComponent(user.username)}`} className={`${linkClass} break-all`}>
                  {user.username}
                </Link>
              </td>
              <td role="cell" data-label="Role" className="px-4 py-3 text-fg-muted">{user.accountType === "service" ? "Service account" : user.isAdmin ? "Administrator" : "User"}</td>
              <td role="cell" data-label="Introspects" className="whitespace-nowrap px-4 py-3 text-fg-muted">
                <span className="inline-flex items-center gap-2">
                  {user.introspect === "any" ? "Any token" : "Own tokens"}
                  {!user.isAdmin && <IntrospectionButton username={user.username} introspect={user.introspect} />}
                </span>
              </td>
              <td role="cell" data-label="Active tokens" className="px-4 py-3 text-fg-muted">{formatCount(user.activeTokens)}</td>
              <td role="cell" data-label="Created" className="whitespace-nowrap px-4 py-3 text-fg-muted">{formatDate(user.createdAt)}</td>
              <td role="cell" className="whitespace-nowrap px-4 py-3 text-right">
                <span className="inline-flex flex-wrap gap-2">
                  {user.accountType !== "service" && <ResetPasswordButton username={user.username} />}
                  {user.username !== me?.username && <DeleteUserButton username={user.username} />}
                </span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
