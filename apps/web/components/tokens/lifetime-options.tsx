"use client";

import type { EffectivePolicy } from "./policy-note";
import { lifetimeOverPolicy, policyAsks } from "./policy-draft";

const BASE_HINT = 'A number and a unit: "6 minutes", "3 weeks", "2h". A month is 30 days.';

/** The preset to start on: the wanted one, or the longest the policy allows, or a custom lifetime. */
export function fittingPreset(presets: readonly string[], wanted: string, policy: EffectivePolicy | undefined, custom: string): string {
  if (!lifetimeOverPolicy(wanted, policy)) return wanted;
  return [...presets].reverse().find((p) => !lifetimeOverPolicy(p, policy)) ?? custom;
}

/** The lifetime presets, those longer than the policy allows disabled and saying why. */
export function LifetimeOptions({ presets, policy }: { presets: readonly string[]; policy: EffectivePolicy | undefined }) {
  return presets.map((p) => {
    const over = lifetimeOverPolicy(p, policy);
    return (
      <option key={p} value={p} disabled={over}>
        {over ? `${p} (over the policy's limit)` : p}
      </option>
    );
  });
}

export function CustomLifetimeHint({ policy }: { policy: EffectivePolicy | undefined }) {
  const asks = policyAsks(policy).life;
  return asks === undefined ? BASE_HINT : `${BASE_HINT} ${asks}`;
}
