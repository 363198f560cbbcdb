import type { Metadata } from "next";
import { AppHeader } from "@/components/app-header";
import { UsersScreen } from "@/components/users/users-screen";

export const metadata: Metadata = { title: "Users · Tokensmith" };

export default function UsersPage() {
  return (
    <>
      <AppHeader />
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        <UsersScreen />
      </main>
    </>
  );
}
