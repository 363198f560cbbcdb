import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";

/** Every signed-in page: a skip link, the header with navigation, then the page. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <a
        href="#main"
        className="sr-only z-50 rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white focus:not-sr-only focus:fixed focus:left-4 focus:top-3"
      >
        Skip to main content
      </a>
      <AppHeader />
      {/* tabIndex -1: the skip link and after-action focus can land here without a tab stop. */}
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-8 outline-none sm:px-6">
        {children}
      </main>
    </>
  );
}
