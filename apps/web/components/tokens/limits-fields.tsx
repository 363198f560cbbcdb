"use client";

import { parseAllowlist } from "@tokensmith/addresses";
import { isJwkThumbprint, parseAudience } from "@tokensmith/core/endpoints";
import { parseLifetime } from "@tokensmith/core/lifetime";
import { Field, Select, inputClass } from "../ui";
import type { PolicyMessages } from "./policy-draft";

const WINDOWS = ["1 second", "1 minute", "1 hour", "1 day"] as const;
const MAX_REQUESTS = 1_000_000;
const MAX_USES = 1_000_000;

/** The optional limits of a new token, as typed: a rate limit, an address allowlist and its audiences. */
export interface LimitsChoice {
  rateLimited: boolean;
  requests: string;
  per: (typeof WINDOWS)[number];
  allowedIps: string;
  /** Allowed uses in all; empty: no limit. */
  maxUses: string;
  audience: string;
  /** The DPoP key thumbprint to bind it to (advanced); empty: not bound. */
  dpopJkt: string;
}

export const NO_LIMITS: LimitsChoice = { rateLimited: false, requests: "100", per: "1 minute", allowedIps: "", maxUses: "", audience: "", dpopJkt: "" };

export type LimitsErrors = { rateLimit?: string; allowedIps?: string; maxUses?: string; audience?: string; dpopJkt?: string };

/**
 * A choice that keeps a policy's largest rate limit (`{requests, windowSeconds}`): ticked, and at
 * that limit when its window is one offered here; otherwise ticked, for the user to choose.
 */
export function withRequiredRateLimit(choice: LimitsChoice, limit: { requests: number; windowSeconds: number } | null | undefined): LimitsChoice {
  if (!limit) return choice;
  const per = WINDOWS.find((window) => {
    const parsed = parseLifetime(window);
    return parsed.ok && parsed.seconds === limit.windowSeconds;
  });
  return per ? { ...choice, rateLimited: true, requests: String(limit.requests), per } : { ...choice, rateLimited: true };
}

/**
 * What a choice asks the API for; omitted fields mean none. Checked here with the server's own
 * address parser, so a typo is named before the request, and the server checks again.
 */
export function limitsFrom(choice: LimitsChoice): {
  rateLimit?: { requests: number; per: string };
  allowedIps?: string[];
  maxUses?: number;
  audience?: string[];
  dpopJkt?: string;
  errors: LimitsErrors;
} {
  const errors: LimitsErrors = {};
  let rateLimit: { requests: number; per: string } | undefined;
  if (choice.rateLimited) {
    const requests = Number(choice.requests.trim());
    if (!Number.isInteger(requests) || requests < 1 || requests > MAX_REQUESTS) {
      errors.rateLimit = `Requests must be a whole number from 1 to ${MAX_REQUESTS.toLocaleString("en-US")}.`;
    } else {
      rateLimit = { requests, per: choice.per };
    }
  }
  let allowedIps: string[] | undefined;
  const entries = choice.allowedIps.split(/[\s,]+/).filter(Boolean);
  if (entries.length > 0) {
    const parsed = parseAllowlist(entries);
    if (parsed.ok) allowedIps = parsed.canonical;
    else errors.allowedIps = parsed.message;
  }
  let maxUses: number | undefined;
  if (choice.maxUses.trim() !== "") {
    const uses = Number(choice.maxUses.trim());
    if (!Number.isInteger(uses) || uses < 1 || uses > MAX_USES) errors.maxUses = `Uses must be a whole number from 1 to ${MAX_USES.toLocaleString("en-US")}.`;
    else maxUses = uses;
  }
  let audience: string[] | undefined;
  // Audiences are URIs, which hold no spaces (but may hold commas): one per line or space-separated.
  const audiences = choice.audience.split(/\s+/).filter(Boolean);
  if (audiences.length > 0) {
    const parsed = parseAudience(audiences);
    if (parsed.ok) audience = parsed.audience;
    else errors.audience = `Audience ${parsed.message}.`;
  }
  const dpopJkt = choice.dpopJkt.trim();
  if (dpopJkt !== "" && !isJwkThumbprint(dpopJkt)) errors.dpopJkt = "A key thumbprint is 43 characters of base64url (RFC 7638, SHA-256).";
  return {
    ...(rateLimit ? { rateLimit } : {}),
    ...(allowedIps ? { allowedIps } : {}),
    ...(maxUses ? { maxUses } : {}),
    ...(audience ? { audience } : {}),
    ...(dpopJkt !== "" && !errors.dpopJkt ? { dpopJkt } : {}),
    errors,
  };
}

/** `asks`: what a token policy asks of these fields, in its words (a required rate limit cannot be unticked). */
export function LimitsFields({ value, onChange, errors, asks = {} }: { value: LimitsChoice; onChange: (v: LimitsChoice) => void; errors: LimitsErrors; asks?: PolicyMessages }) {
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-fg">Limits</legend>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={value.rateLimited}
          disabled={asks.rateLimit !== undefined && value.rateLimited}
          onChange={(e) => onChange({ ...value, rateLimited: e.target.checked })}
        />
        Limit how often it may be used
      </label>
      {value.rateLimited && (
        <Field id="token-rate-requests" label="At most" error={errors.rateLimit} hint={asks.rateLimit ?? "Requests beyond this get 429 until the window ends."}>
          <div className="flex items-center gap-2">
            <input
              id="token-rate-requests"
              inputMode="numeric"
              className={`${inputClass} max-w-28`}
              value={value.requests}
              aria-invalid={Boolean(errors.rateLimit)}
              aria-describedby={errors.rateLimit ? "token-rate-requests-error" : undefined}
              onChange={(e) => onChange({ ...value, requests: e.target.value })}
            />
            <span className="text-sm text-fg-muted">requests per</span>
            <Select aria-label="Window" value={value.per} onChange={(e) => onChange({ ...value, per: e.target.value as LimitsChoice["per"] })}>
              {WINDOWS.map((window) => (
                <option key={window} value={window}>
                  {window.replace(/^1 /, "")}
                </option>
              ))}
            </Select>
          </div>
        </Field>
      )}
      <Field
        id="token-allowed-ips"
        label="Allowed addresses"
        hint={`${asks.allowedIps ?? "Optional."} IPv4 or IPv6 addresses or CIDR ranges, one per line, e.g. 203.0.113.0/24.${asks.allowedIps ? "" : " Empty: any address."}`}
        error={errors.allowedIps}
      >
        <textarea
          id="token-allowed-ips"
          rows={2}
          spellCheck={false}
          className={`${inputClass} font-mono text-xs`}
          value={value.allowedIps}
          aria-invalid={Boolean(errors.allowedIps)}
          aria-describedby={errors.allowedIps ? "token-allowed-ips-error" : undefined}
          onChange={(e) => onChange({ ...value, allowedIps: e.target.value })}
        />
      </Field>
      <Field id="token-max-uses" label="Uses" hint="Optional. Refused after this many allowed uses; @tokensmith/verify refuses such tokens. Empty: no limit." error={errors.maxUses}>
        <input
          id="token-max-uses"
          inputMode="numeric"
          className={`${inputClass} max-w-28`}
          value={value.maxUses}
          aria-invalid={Boolean(errors.maxUses)}
          aria-describedby={errors.maxUses ? "token-max-uses-error" : undefined}
          onChange={(e) => onChange({ ...value, maxUses: e.target.value })}
        />
      </Field>
      <Field
        id="token-audience"
        label="Audience"
        hint="Optional. The APIs this token is meant for (signed as aud): URIs such as https://api.example.com or urn:example:api, one per line. Empty: the server's default."
        error={errors.audience}
      >
        <textarea
          id="token-audience"
          rows={1}
          spellCheck={false}
          className={`${inputClass} font-mono text-xs`}
          value={value.audience}
          aria-invalid={Boolean(errors.audience)}
          aria-describedby={errors.audience ? "token-audience-error" : undefined}
          onChange={(e) => onChange({ ...value, audience: e.target.value })}
        />
      </Field>
      <details>
        <summary className="cursor-pointer text-sm text-fg-muted">Advanced</summary>
        <Field
          id="token-dpop-jkt"
          label="Bind to a key (DPoP)"
          hint="Optional. The RFC 7638 SHA-256 thumbprint of your client's public key: every use then needs a DPoP proof signed by it, so the token alone is useless. Empty: not bound."
          error={errors.dpopJkt}
        >
          <input
            id="token-dpop-jkt"
            spellCheck={false}
            className={`${inputClass} font-mono text-xs`}
            value={value.dpopJkt}
            aria-invalid={Boolean(errors.dpopJkt)}
            aria-describedby={errors.dpopJkt ? "token-dpop-jkt-error" : undefined}
            onChange={(e) => onChange({ ...value, dpopJkt: e.target.value })}
          />
        </Field>
      </details>
    </fieldset>
  );
}
