"use client";

import { parseEndpointPattern } from "@tokensmith/core/endpoints";
import { inputClass } from "../ui";

/** Tokensmith's own API, which the token may be allowed to call; the user's API goes in the box. */
const COMMON = [
  ["GET /v1alpha/token/*", "Read tokens (list, get, self)"],
  ["POST /v1alpha/token/", "Create tokens"],
  ["DELETE /v1alpha/token/*", "Revoke tokens"],
  ["POST /v1alpha/token/*/rotate", "Rotate tokens"],
] as const;

export interface EndpointsChoice {
  limited: boolean;
  common: string[];
  custom: string;
}

export const ALL_ENDPOINTS: EndpointsChoice = { limited: false, common: [], custom: "" };

/** The patterns a choice stands for (undefined: all endpoints), or the first error in the custom box. */
export function endpointsFrom(choice: EndpointsChoice): { endpoints?: string[]; error?: string } {
  if (!choice.limited) return {};
  const custom = choice.custom.split("\n").map((line) => line.trim()).filter(Boolean);
  for (const line of custom) {
    const parsed = parseEndpointPattern(line);
    if (!parsed.ok) return { error: parsed.message };
  }
  const endpoints = [...choice.common, ...custom];
  if (endpoints.length === 0) return { error: "Choose at least one endpoint, or allow all." };
  return { endpoints };
}

/** `required`: a token policy's words when it requires named endpoints ("All endpoints" is then disabled). */
export function EndpointsPicker({ value, onChange, error, required }: { value: EndpointsChoice; onChange: (v: EndpointsChoice) => void; error?: string; required?: string }) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-fg">Endpoints</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name="endpoints-mode" checked={!value.limited} disabled={required !== undefined} onChange={() => onChange({ ...value, limited: false })} />
        All endpoints
      </label>
      {required && (
        <p data-testid="policy-endpoints" className="text-xs text-fg-muted">
          {required}
        </p>
      )}
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name="endpoints-mode" checked={value.limited} onChange={() => onChange({ ...value, limited: true })} />
        Only these endpoints
      </label>
      {value.limited && (
        <div className="space-y-2 rounded-lg bg-sunken p-3 ring-1 ring-inset ring-line">
          <p id="endpoints-own" className="text-sm font-medium text-fg">
            Tokensmith&apos;s own API <span className="font-normal text-fg-muted">(for a token that manages tokens)</span>
          </p>
          {COMMON.map(([pattern, label]) => (
            <label key={pattern} className="flex flex-wrap items-center gap-x-2 text-sm">
              <input
                type="checkbox"
                checked={value.common.includes(pattern)}
                onChange={(e) =>
                  onChange({ ...value, common: e.target.checked ? [...value.common, pattern] : value.common.filter((p) => p !== pattern) })
                }
              />
              <span>{label}</span>
              <code className="break-all text-xs text-fg-muted">{pattern}</code>
            </label>
          ))}
          <label htmlFor="endpoints-custom" className="block pt-2 text-sm font-medium text-fg">
            Your API&apos;s endpoints <span className="font-normal text-fg-muted">(checked by forward auth, introspection or @tokensmith/verify)</span>
          </label>
          <textarea
            id="endpoints-custom"
            rows={2}
            className={`${inputClass} font-mono text-xs`}
            placeholder={"GET /api/orders/*\nPOST /api/orders"}
            value={value.custom}
            aria-invalid={Boolean(error)}
            onChange={(e) => onChange({ ...value, custom: e.target.value })}
          />
          <p className="text-xs text-fg-muted">One &quot;METHOD /path&quot; per line, as your API serves it; * matches anything.</p>
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </fieldset>
  );
}
