"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@tokensmith/api";
import { useTRPC } from "@/lib/trpc";
import { policyAsks } from "./policy-draft";

export type EffectivePolicy = inferRouterOutputs<AppRouter>["policy"]["effective"];

/**
 * The token policy in force for the caller's new tokens, or for a service account's (`account`):
 * the server's rule module works it out (policy.effective), the dialogs only read it.
 */
export function useTokenPolicy(account: string | undefined, enabled: boolean): EffectivePolicy | undefined {
  const trpc = useTRPC();
  return useQuery(trpc.policy.effective.queryOptions(account === undefined ? {} : { account }, { enabled })).data;
}

/**
 * What an administrator's token policy asks of new tokens, one sentence per rule naming the policy
 * it comes from, shown before the user submits; the fields it judges are disabled or marked too
 * (the server refuses a token that breaks it with a 400 in the same words).
 */
export function PolicyNote({ policy }: { policy: EffectivePolicy | undefined }) {
  const asks = Object.values(policyAsks(policy));
  if (asks.length === 0) return null;
  return (
    <div data-testid="token-policy" className="rounded-md border border-line bg-sunken px-3 py-2 text-sm text-fg-muted">
      <p className="font-medium text-fg">Token policy</p>
      <ul className="list-disc pl-5">
        {asks.map((ask) => (
          <li key={ask}>{ask}</li>
        ))}
      </ul>
    </div>
  );
}

/** The rotate dialog's line when the policy forbids an overlap (its other choices are disabled). */
export function RotationPolicyNote({ policy }: { policy: EffectivePolicy | undefined }) {
  const asks = policyAsks(policy).overlap;
  if (asks === undefined) return null;
  return (
    <p data-testid="rotation-policy" className="rounded-md border border-line bg-sunken px-3 py-2 text-sm text-fg-muted">
      {asks}
    </p>
  );
}
