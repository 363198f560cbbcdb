"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button } from "./ui";

export function AppHeader() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => window.location.assign("/login"),
      onError: (error) => toast.error(`Could not sign out: ${errorMessage(error)}`),
    }),
  );
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between px-4 sm:px-6">
        <a href="/tokens" className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="flex h-7 w-7 items-center justify-center rounded-lg bg-indigo-600 text-sm font-bold text-white">T</span>
          Tokensmith
        </a>
        <div className="flex items-center gap-3 text-sm">
          {me.data && <span className="text-slate-500">Signed in as <strong className="text-slate-800">{me.data.username}</strong></span>}
          <Button variant="ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Sign out
          </Button>
        </div>
      </div>
    </header>
  );
}
