"use client";

import { useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { NewUserDialog } from "./new-user-dialog";
import { ResetPasswordButton } from "./reset-password-button";
import { DeleteUserButton } from "./delete-user-button";
import { DataTable } from "../data-table";

export function UsersScreen() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const users = useQuery(trpc.user.list.queryOptions());
  const forbidden = users.error instanceof TRPCClientError && users.error.data?.code === "FORBIDDEN";
  return (
    <section aria-labelledby="users-heading">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="users-heading" className="text-2xl font-semibold tracking-tight">Users</h1>
          <p className="mt-1 text-sm text-slate-500">Who may sign in and issue tokens. Each user sees only their own tokens.</p>
        </div>
        {users.data && <NewUserDialog />}
      </div>
      {forbidden && <p role="alert" className="text-sm text-slate-600">Only administrators can manage users.</p>}
      {users.isError && !forbidden && <p role="alert" className="text-sm text-red-600">Could not load users: {errorMessage(users.error)}</p>}
      {users.data && (
        <DataTable headers={["Username", "Role", "Active tokens", "Created", null]}>
              {users.data.map((user) => (
                <tr key={user.id}>
                  <td className="px-4 py-3 font-medium text-slate-900">{user.username}</td>
                  <td className="px-4 py-3 text-slate-600">{user.isAdmin ? "Administrator" : "User"}</td>
                  <td className="px-4 py-3 text-slate-600">{user.activeTokens}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-600">{formatDate(user.createdAt)}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-right">
                    <span className="inline-flex gap-2">
                      <ResetPasswordButton username={user.username} />
                      {user.username !== me.data?.username && <DeleteUserButton username={user.username} />}
                    </span>
                  </td>
                </tr>
              ))}
            </DataTable>
      )}
    </section>
  );
}
