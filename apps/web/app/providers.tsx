"use client";

import { useState, type ReactNode } from "react";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "@tokensmith/api";
import { TRPCProvider } from "@/lib/trpc";
import { isUnauthorized } from "@/lib/errors";

/** A session that ended (expired, signed out elsewhere) sends the person back to sign in. */
function toLoginOnUnauthorized(error: unknown) {
  if (isUnauthorized(error) && window.location.pathname !== "/login") window.location.assign("/login");
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: toLoginOnUnauthorized }),
        mutationCache: new MutationCache({ onError: toLoginOnUnauthorized }),
        defaultOptions: {
          queries: { staleTime: 10_000, retry: (count, error) => !isUnauthorized(error) && count < 2 },
        },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc" })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
