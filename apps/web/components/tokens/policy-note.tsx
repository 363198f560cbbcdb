"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@tokensmith/api";
import { useTRPC } from "@/lib/trpc";

export type EffectivePolicy = inferRouterOutputs<AppRouter>["policy"]["effective"];

/**
 * The token policy in force for the caller's new tokens, or for a service account's (`account`):
 * the server's rule module works it out (policy.effective), the dialogs only read it.
 */
export function useTokenPolicy(account: string | undefined, enabled: boolean): EffectivePolicy | undefined {
  const trpc = useTRPC();
  return useQuery(trpc.policy.effective.queryOptions(account === undefined ? {} : { account }, { enabled })).data;
}

/** Said beside a field the policy limits. */
export const LIMITED_BY = "your administrator's token policy";

/**
 * What an administrator's token policy asks of new tokens, in one short line, shown before the
 * user submits (the server refuses a token that breaks it with a 400 naming the policy).
 */
export function PolicyNote({ policy }: { policy: EffectivePolicy | undefined }) {
  const lines = policy?.lines ?? [];
  if (lines.length === 0) return null;
  return (
    <p data-testid="token-policy" className="rounded-md border border-line bg-sunken px-3 py-2 text-sm text-fg-muted">
      Token policy: {lines.join(" · ")}
    </p>
  );
}

/** The rotate dialog's line when the policy forbids an overlap (its other choices are disabled). */
export function RotationPolicyNote({ policy }: { policy: EffectivePolicy | undefined }) {
  if (policy?.allowRotationOverlap !== false) return null;
  return (
    <p data-testid="rotation-policy" className="rounded-md border border-line bg-sunken px-3 py-2 text-sm text-fg-muted">
      Your administrator&apos;s token policy allows no rotation overlap: the old token stops at once.
    </p>
  );
}
