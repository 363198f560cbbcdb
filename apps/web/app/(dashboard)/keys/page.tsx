import type { Metadata } from "next";
import { KeysScreen } from "@/components/keys/keys-screen";

export const metadata: Metadata = { title: "Signing keys · Tokensmith" };

export default function Page() {
  return <KeysScreen />;
}
