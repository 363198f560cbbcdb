import type { Metadata } from "next";
import { TokensScreen } from "@/components/tokens/tokens-screen";

export const metadata: Metadata = { title: "Tokens · Tokensmith" };

export default function Page() {
  return <TokensScreen />;
}
