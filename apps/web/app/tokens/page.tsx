import type { Metadata } from "next";
import { AppHeader } from "@/components/app-header";
import { TokensScreen } from "@/components/tokens/tokens-screen";

export const metadata: Metadata = { title: "Tokens · Tokensmith" };

export default function TokensPage() {
  return (
    <>
      <AppHeader />
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        <TokensScreen />
      </main>
    </>
  );
}
