"use client";

import { useState, type ReactNode } from "react";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { Toaster } from "sonner";
import type { AppRouter } from "@tokensmith/api";
import { TRPCProvider } from "@/lib/trpc";
import { isTransient, isUnauthorized } from "@/lib/errors";
import type { Theme } from "@/lib/theme";
import { ThemeProvider, useTheme } from "@/components/theme-select";
import { RotationRevealHost } from "@/components/tokens/rotation-reveal";

/** A session that ended (expired, signed out elsewhere) sends the person back to sign in. */
function toLoginOnUnauthorized(error: unknown) {
  if (isUnauthorized(error) && window.location.pathname !== "/login") window.location.assign("/login");
}

function ThemedToaster() {
  const { theme } = useTheme();
  return <Toaster position="bottom-right" richColors closeButton theme={theme} />;
}

export function Providers({ theme, children }: { theme: Theme; children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: toLoginOnUnauthorized }),
        mutationCache: new MutationCache({ onError: toLoginOnUnauthorized }),
        defaultOptions: {
          // One quick retry, and only for what may pass by itself (network, 5xx): a person sees a
          // failure, or a "not allowed", within a second instead of after three slow attempts.
          queries: { staleTime: 10_000, retry: (count, error) => isTransient(error) && count < 1, retryDelay: 400 },
        },
      }),
  );
  // The server takes at most 10 calls per batch (lazy sparklines ask for many at once).
  const [trpcClient] = useState(() => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", maxItems: 10 })] }));
  return (
    <ThemeProvider initial={theme}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <RotationRevealHost>{children}</RotationRevealHost>
        </TRPCProvider>
      </QueryClientProvider>
      <ThemedToaster />
    </ThemeProvider>
  );
}
