"use client";

import { Suspense, useEffect } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { isForbidden } from "@/lib/errors";
import { formatCount, formatDate } from "@/lib/format";
import { useMe } from "@/lib/use-me";
import { NotFoundView } from "../not-found-view";
import { QueryError, Skeleton } from "../query-state";
import { Badge, linkClass } from "../ui";
import { TokenList } from "../tokens/tokens-screen";
import { ResetPasswordButton } from "./reset-password-button";
import { DeleteUserButton } from "./delete-user-button";
import { ServiceBadge } from "../service-accounts/service-badge";

/** Administrators: one user — role, when made, their tokens (revocable one by one or together). */
export function UserScreen({ username }: { username: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { me } = useMe();
  const users = useQuery(trpc.user.list.queryOptions());
  const user = users.data?.find((u) => u.username === username);
  useEffect(() => {
    document.title = `${username} · Tokensmith`;
  }, [username]);
  const back = (
    <p className="mb-4 text-sm">
      <Link href="/users" className={linkClass}>
        ← All users
      </Link>
    </p>
  );
  if (users.isPending) return <>{back}<Skeleton label="Loading the user…" lines={4} /></>;
  if (isForbidden(users.error)) return <p role="alert" className="text-sm text-fg">Only administrators can see other users.</p>;
  if (users.isError) return <>{back}<QueryError what="the user" error={users.error} onRetry={() => void users.refetch()} retrying={users.isFetching} /></>;
  if (!user) {
    return (
      <NotFoundView title="User not found">
        No user is named “{username}”. They may have been deleted: the Activity page keeps what they did.
      </NotFoundView>
    );
  }
  return (
    <div>
      {back}
      <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 id="users-heading" tabIndex={-1} className="break-all text-2xl font-semibold tracking-tight outline-none">
            {user.username}
          </h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-fg-muted">
            {user.accountType === "service" ? <ServiceBadge /> : <Badge tone={user.isAdmin ? "violet" : "grey"}>{user.isAdmin ? "Administrator" : "User"}</Badge>}
            {/* No separator character: on a phone the line wraps between the two, and a "·" would start the next. */}
            <span className="whitespace-nowrap">since {formatDate(user.createdAt)}</span>
            <span className="whitespace-nowrap" data-testid="active-tokens">
              {formatCount(user.activeTokens)} active {user.activeTokens === 1 ? "token" : "tokens"}
            </span>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {user.accountType !== "service" && <ResetPasswordButton username={user.username} />}
          {user.username !== me?.username && <DeleteUserButton username={user.username} afterDelete={() => router.push("/users")} />}
        </div>
      </div>
      <h2 className="sr-only">Tokens of {user.username}</h2>
      <Suspense fallback={<Skeleton label="Loading tokens…" lines={6} />}>
        <TokenList owner={user.username} />
      </Suspense>
    </div>
  );
}
