import type { Metadata } from "next";
import { PoliciesScreen } from "@/components/policies/policies-screen";

export const metadata: Metadata = { title: "Token policies · Tokensmith" };

export default function Page() {
  return <PoliciesScreen />;
}
