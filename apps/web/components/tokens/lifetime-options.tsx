"use client";

import { formatLifetime, parseLifetime } from "@tokensmith/core/lifetime";
import { LIMITED_BY, type EffectivePolicy } from "./policy-note";

const BASE_HINT = 'A number and a unit: "6 minutes", "3 weeks", "2h". A month is 30 days.';

/** Is a preset longer than the policy's longest lifetime? Such a preset is offered but disabled. */
export function overPolicy(preset: string, policy: EffectivePolicy | undefined): boolean {
  const parsed = parseLifetime(preset);
  return Boolean(policy?.maxLifeSeconds != null && parsed.ok && parsed.seconds > policy.maxLifeSeconds);
}

/** The preset to start on: the wanted one, or the longest the policy allows, or a custom lifetime. */
export function fittingPreset(presets: readonly string[], wanted: string, policy: EffectivePolicy | undefined, custom: string): string {
  if (!overPolicy(wanted, policy)) return wanted;
  return [...presets].reverse().find((p) => !overPolicy(p, policy)) ?? custom;
}

/** The lifetime presets, those longer than the policy allows disabled and saying why. */
export function LifetimeOptions({ presets, policy }: { presets: readonly string[]; policy: EffectivePolicy | undefined }) {
  return presets.map((p) => {
    const over = overPolicy(p, policy);
    return (
      <option key={p} value={p} disabled={over}>
        {over ? `${p} (over the policy's limit)` : p}
      </option>
    );
  });
}

export function CustomLifetimeHint({ policy }: { policy: EffectivePolicy | undefined }) {
  if (policy?.maxLifeSeconds == null) return BASE_HINT;
  return `${BASE_HINT} At most ${formatLifetime(policy.maxLifeSeconds)}: ${LIMITED_BY}.`;
}
