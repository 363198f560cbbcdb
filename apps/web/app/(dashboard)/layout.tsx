import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";

/** Every signed-in page: the header with navigation, then the page. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <AppHeader />
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </>
  );
}
