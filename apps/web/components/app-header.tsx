"use client";

import { usePathname } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button } from "./ui";

export function AppHeader() {
  const trpc = useTRPC();
  const pathname = usePathname();
  const me = useQuery(trpc.auth.me.queryOptions());
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => window.location.assign("/login"),
      onError: (error) => toast.error(`Could not sign out: ${errorMessage(error)}`),
    }),
  );
  const links = [
    { href: "/tokens", label: "Tokens" },
    { href: "/activity", label: "Activity" },
    { href: "/webhooks", label: "Webhooks" },
    ...(me.data?.isAdmin ? [{ href: "/users", label: "Users" }, { href: "/keys", label: "Signing keys" }] : []),
  ];
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <div className="flex items-center gap-6">
          <a href="/tokens" className="flex items-center gap-2 font-semibold tracking-tight">
            <span className="flex h-7 w-7 items-center justify-center rounded-lg bg-indigo-600 text-sm font-bold text-white">T</span>
            Tokensmith
          </a>
          <nav aria-label="Main" className="flex gap-1 text-sm">
            {links.map((link) => (
              <a
                key={link.href}
                href={link.href}
                aria-current={pathname === link.href ? "page" : undefined}
                className="rounded-md px-3 py-1.5 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700"
              >
                {link.label}
              </a>
            ))}
          </nav>
        </div>
        <div className="flex items-center gap-3 text-sm">
          {me.data && <span className="hidden text-slate-500 sm:inline">Signed in as <strong className="text-slate-800">{me.data.username}</strong></span>}
          <Button variant="ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Sign out
          </Button>
        </div>
      </div>
    </header>
  );
}
