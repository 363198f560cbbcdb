"use client";

import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { forgetMe, useMe } from "@/lib/use-me";
import { Button } from "./ui";
import { ThemeSelect } from "./theme-select";

const linkClass =
  "rounded-md px-3 py-2 text-sm font-medium text-fg-muted hover:bg-sunken hover:text-fg aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-800 dark:aria-[current=page]:bg-indigo-950 dark:aria-[current=page]:text-indigo-200 focus-visible:outline-2 focus-visible:outline-indigo-500";

/**
 * Navigation, who is signed in, the theme and sign-out. Below the md breakpoint it all folds into
 * a Menu button, so a phone's header is one line. Admin links come from the last known auth.me
 * (useMe), so a failed query never hides them.
 */
export function AppHeader() {
  const trpc = useTRPC();
  const pathname = usePathname();
  const { me } = useMe();
  const [menuOpen, setMenuOpen] = useState(false);
  const [ready, setReady] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setReady(true), []);
  useEffect(() => setMenuOpen(false), [pathname]);
  // Escape closes the open menu from anywhere on the page, and focus goes back to its button.
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [menuOpen]);
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => {
        forgetMe();
        window.location.assign("/login");
      },
      onError: (error) => toast.error(`Could not sign out. ${errorMessage(error)}`),
    }),
  );
  const links = [
    { href: "/tokens", label: "Tokens" },
    { href: "/activity", label: "Activity" },
    { href: "/webhooks", label: "Webhooks" },
    ...(me?.isAdmin ? [{ href: "/users", label: "Users" }, { href: "/keys", label: "Signing keys" }] : []),
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
  const signedInAs = me && (
    <span className="text-sm text-fg-muted">
      Signed in as <strong className="font-semibold text-fg">{me.username}</strong>
    </span>
  );
  const signOut = (
    <Button variant="ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
      {logout.isPending ? "Signing out…" : "Sign out"}
    </Button>
  );

  return (
    <header className="border-b border-line bg-surface" data-ready={ready || undefined}>
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <div className="flex min-w-0 items-center gap-6">
          <Link href="/tokens" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden="true" className="flex h-7 w-7 items-center justify-center rounded-lg bg-indigo-600 text-sm font-bold text-white">T</span>
            Tokensmith
          </Link>
          <nav aria-label="Main" className="hidden gap-1 md:flex">
            {navLinks}
          </nav>
        </div>
        <div className="hidden items-center gap-3 md:flex">
          {signedInAs}
          <ThemeSelect id="theme-wide" />
          {signOut}
        </div>
        <Button
          ref={menuButton}
          variant="secondary"
          className="md:hidden"
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? "Close menu" : "Menu"}
        </Button>
      </div>
      {menuOpen && (
        <div id="main-menu" className="border-t border-line px-4 pb-4 pt-2 md:hidden">
          <nav aria-label="Main" className="flex flex-col gap-1">
            {navLinks}
          </nav>
          <div className="mt-3 flex flex-wrap items-center justify-between gap-3 border-t border-line pt-3">
            {signedInAs}
            <div className="flex items-center gap-2">
              <ThemeSelect id="theme-narrow" />
              {signOut}
            </div>
          </div>
        </div>
      )}
    </header>
  );
}
