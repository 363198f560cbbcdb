"use client";

import { useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { forgetMe, useMe } from "@/lib/use-me";
import { Button } from "./ui";
import { ThemeSelect } from "./theme-select";
import { ChangePasswordDialog } from "./change-password-dialog";

const linkClass =
  "whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-fg-muted hover:bg-sunken hover:text-fg aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-800 dark:aria-[current=page]:bg-indigo-950 dark:aria-[current=page]:text-indigo-200 focus-visible:outline-2 focus-visible:outline-indigo-500";

/** Escape closes an open panel from anywhere on the page, and focus goes back to its button. */
function useEscapeCloses(open: boolean, close: () => void, button: RefObject<HTMLButtonElement | null>) {
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      close();
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open, close, button]);
}

/** Who is signed in, the theme and sign-out, behind one button: the header's line keeps room for the pages. */
function AccountMenu({ username, signOut, changePassword }: { username: string; signOut: ReactNode; changePassword: ReactNode }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const pathname = usePathname();
  useEffect(() => setOpen(false), [pathname]);
  useEscapeCloses(open, () => setOpen(false), button);
  // A click elsewhere closes it, as a menu does.
  useEffect(() => {
    if (!open) return;
    const onDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onDown);
    return () => document.removeEventListener("pointerdown", onDown);
  }, [open]);
  return (
    <div className="relative">
      <Button
        ref={button}
        variant="ghost"
        aria-expanded={open}
        aria-controls="account-menu"
        aria-label={`Account: ${username}`}
        onClick={() => setOpen((now) => !now)}
      >
        <span className="max-w-40 truncate">{username}</span>
        <span aria-hidden="true">▾</span>
      </Button>
      {open && (
        <div id="account-menu" ref={panel} className="absolute right-0 z-30 mt-2 w-64 space-y-3 rounded-xl bg-surface p-4 shadow-lg ring-1 ring-line">
          <p className="text-sm text-fg-muted">
            Signed in as <strong className="font-semibold text-fg">{username}</strong>
          </p>
          <ThemeSelect id="theme-wide" />
          <div className="flex flex-wrap gap-2 border-t border-line pt-3">
            {changePassword}
            {signOut}
          </div>
        </div>
      )}
    </div>
  );
}

/**
 * Navigation, the account menu (who is signed in, the theme, sign-out). Below the lg breakpoint
 * (1024 px) it all folds into a Menu button, so nothing in the header wraps at any width. Admin
 * links come from the last known auth.me (useMe), so a failed query never hides them.
 */
export function AppHeader() {
  const trpc = useTRPC();
  const pathname = usePathname();
  const { me } = useMe();
  const [menuOpen, setMenuOpen] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  const [ready, setReady] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setReady(true), []);
  useEffect(() => setMenuOpen(false), [pathname]);
  useEscapeCloses(menuOpen, () => setMenuOpen(false), menuButton);
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => {
        forgetMe();
        window.location.assign("/login");
      },
      onError: (error) => toast.error(`Could not sign out. ${errorMessage(error)}`),
    }),
  );
  const managed = useQuery(trpc.serviceAccount.list.queryOptions(undefined, { enabled: me !== null && !me.isAdmin, staleTime: 60_000 }));
  const links = [
    { href: "/tokens", label: "Tokens" },
    { href: "/activity", label: "Activity" },
    { href: "/webhooks", label: "Webhooks" },
    ...(me?.isAdmin
      ? [
          { href: "/users", label: "Users" },
          { href: "/service-accounts", label: "Service accounts" },
          { href: "/policies", label: "Policies" },
          { href: "/keys", label: "Signing keys" },
        ]
      : []),
    // A person an administrator named as a manager issues tokens for those accounts there.
    ...(!me?.isAdmin && managed.data?.length ? [{ href: "/service-accounts", label: "Service accounts" }] : []),
  ];
  const navLinks = [
    ...links.map((link) => (
      <Link key={link.href} href={link.href} className={linkClass} aria-current={pathname === link.href || pathname.startsWith(`${link.href}/`) ? "page" : undefined}>
        {link.label}
      </Link>
    )),
    // Served by the server itself (Scalar under its own CSP), not a Next page: a plain link.
    <a key="/docs" href="/docs" className={linkClass}>
      API reference
    </a>,
  ];
  const signOut = (
    <Button variant="secondary" onClick={() => logout.mutate()} disabled={logout.isPending}>
      {logout.isPending ? "Signing out…" : "Sign out"}
    </Button>
  );

  const changePassword = (
    <Button variant="secondary" onClick={() => setChangingPassword(true)}>
      Change my password
    </Button>
  );

  return (
    <header className="border-b border-line bg-surface" data-ready={ready || undefined}>
      <ChangePasswordDialog open={changingPassword} onOpenChange={setChangingPassword} />
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <div className="flex min-w-0 items-center gap-4">
          <Link href="/tokens" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden="true" className="flex h-7 w-7 items-center justify-center rounded-lg bg-indigo-600 text-sm font-bold text-white">T</span>
            Tokensmith
          </Link>
          <nav aria-label="Main" className="hidden gap-0.5 lg:flex">
            {navLinks}
          </nav>
        </div>
        <div className="hidden lg:block">{me && <AccountMenu username={me.username} signOut={signOut} changePassword={changePassword} />}</div>
        <Button
          ref={menuButton}
          variant="secondary"
          className="lg:hidden"
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? "Close menu" : "Menu"}
        </Button>
      </div>
      {menuOpen && (
        <div id="main-menu" className="border-t border-line px-4 pb-4 pt-2 lg:hidden">
          <nav aria-label="Main" className="flex flex-col gap-1">
            {navLinks}
          </nav>
          <div className="mt-3 flex flex-wrap items-center justify-between gap-3 border-t border-line pt-3">
            {me && (
              <span className="text-sm text-fg-muted">
                Signed in as <strong className="font-semibold text-fg">{me.username}</strong>
              </span>
            )}
            <div className="flex flex-wrap items-center gap-2">
              <ThemeSelect id="theme-narrow" />
              {changePassword}
              {signOut}
            </div>
          </div>
        </div>
      )}
    </header>
  );
}
