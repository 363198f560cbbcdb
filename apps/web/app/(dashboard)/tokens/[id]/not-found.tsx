import type { Metadata } from "next";
import { TokenNotFound } from "@/components/not-found-view";

export const metadata: Metadata = { title: "Token not found · Tokensmith" };

export default function NotFound() {
  return <TokenNotFound />;
}
