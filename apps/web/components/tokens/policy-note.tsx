"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";

/**
 * What an administrator's token policy asks of the caller's new tokens, in one short line, shown
 * before they submit (the server refuses a token that breaks it with a 400 naming the policy).
 */
export function PolicyNote() {
  const trpc = useTRPC();
  const policy = useQuery(trpc.policy.effective.queryOptions({}));
  const lines = policy.data?.lines ?? [];
  if (lines.length === 0) return null;
  return (
    <p data-testid="token-policy" className="rounded-md border border-line bg-sunken px-3 py-2 text-sm text-fg-muted">
      Token policy: {lines.join(" · ")}
    </p>
  );
}
