import type { Metadata } from "next";
import { WebhooksScreen } from "@/components/webhooks/webhooks-screen";

export const metadata: Metadata = { title: "Webhooks · Tokensmith" };

export default function Page() {
  return <WebhooksScreen />;
}
