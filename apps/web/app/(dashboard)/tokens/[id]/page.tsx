import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TokenDetailScreen } from "@/components/tokens/detail/token-detail-screen";

export const metadata: Metadata = { title: "Token · Tokensmith" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Anything but a token id is not found here; whether an id is one of the caller's is the API's call. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  return <TokenDetailScreen id={id.toLowerCase()} />;
}
