import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Toaster } from "sonner";
import { Providers } from "./providers";
import "./globals.css";

// Every page is rendered per request: each response carries its own CSP nonce (set by the server,
// server/security-headers.ts), which Next puts on its scripts; a prerendered page would have none.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Tokensmith",
  description: "Issue, list, verify and revoke JWT access tokens for your REST APIs",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
        <Toaster position="bottom-right" richColors closeButton />
      </body>
    </html>
  );
}
