import type { Metadata } from "next";
import { ServiceAccountsScreen } from "@/components/service-accounts/service-accounts-screen";

export const metadata: Metadata = { title: "Service accounts · Tokensmith" };

export default function Page() {
  return <ServiceAccountsScreen />;
}
