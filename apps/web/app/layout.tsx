import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { Providers } from "./providers";
import { parseTheme, THEME_COOKIE } from "@/lib/theme";
import "./globals.css";

// Every page is rendered per request: each response carries its own CSP nonce (set by the server,
// server/security-headers.ts), which Next puts on its scripts; a prerendered page would have none.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Tokensmith",
  description: "Issue, list, verify and revoke JWT access tokens for your REST APIs",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/**
 * The theme comes from a cookie and is rendered into <html data-theme>: the first paint is in the
 * right colours, with no script (which the CSP would need a nonce for) and no flash.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme}>
      <body className="min-h-screen font-sans">
        <Providers theme={theme}>{children}</Providers>
      </body>
    </html>
  );
}
