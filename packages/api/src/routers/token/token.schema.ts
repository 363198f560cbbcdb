import { z } from "zod";
import {
  expiryStatus,
  isJwkThumbprint,
  MAX_PATTERNS,
  MAX_AUDIENCES,
  parseAllowlist,
  parseAudience,
  parseEndpointPattern,
  parseRateLimit,
  remainingSeconds,
  tokenState,
  type ExpiryStatus,
  type TokenState,
} from "@tokensmith/core";
import type { AccessToken } from "@tokensmith/db";
import { safeText } from "../text.js";

export const DESCRIPTION_MAX = 200;

/** The field rules REST and tRPC share: the single source of input validation and of the OpenAPI doc. */
export const tokenDescription = safeText(
  z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .trim()
    .min(1, "must not be empty")
    .max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`),
).meta({ description: "What the token is for: one line, without control characters or bidirectional overrides", example: "Token alpha" });

/** Checked for form here; its meaning (units, maximum) is parsed by core's parseLifetime in the handler. */
export const tokenLifetime = safeText(
  z.string({ error: (issue) => (issue.input === undefined ? "is required" : 'must be a string such as "3 days"') }).max(100, "must be at most 100 characters"),
).meta({
    description:
      'A human lifetime: a number and a unit — seconds (s), minutes (m), hours (h), days (d), weeks (w), months (30 days), years (365 days)',
    examples: ["6 minutes", "3 days", "3 weeks", "2h"],
  });

export const tokenId = z.uuid({ error: "must be a UUID" }).meta({ description: "The token's id (its JWT jti)" });

/** "METHOD /path" with * wildcards, normalised ("get /x" → "GET /x") by core's rule. */
export const endpointPattern = safeText(z.string({ error: 'must be a string such as "GET /v1alpha/token/*"' })).transform((value, ctx) => {
  const parsed = parseEndpointPattern(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed.pattern;
});

export const tokenEndpoints = z
  .array(endpointPattern, { error: 'must be a list of "METHOD /path" patterns' })
  .max(MAX_PATTERNS, `must list at most ${MAX_PATTERNS} patterns`)
  .meta({
    description:
      'The endpoints this token may call, as "METHOD /path" patterns where * matches anything; omit for all. A token-authenticated request may only ask for endpoints its own token has.',
    examples: [["GET /v1alpha/token/*"]],
  });

/** `{ requests: 100, per: "1 minute" }` → { requests, windowSeconds }, by core's rule. */
export const tokenRateLimit = z
  .object({
    requests: z.number({ error: "must be a whole number" }),
    per: safeText(z.string({ error: 'must be a string such as "1 minute"' }).max(100, "must be at most 100 characters")),
  })
  .transform((value, ctx) => {
    const parsed = parseRateLimit(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", path: [parsed.field], message: parsed.message });
      return z.NEVER;
    }
    return parsed.limit;
  })
  .meta({
    description:
      'At most `requests` requests per `per` (same syntax as lifetimes, up to 1 day), in fixed windows aligned to the clock. Omit to inherit the creating token\'s limit (none when created with a password); null for none.',
    examples: [{ requests: 100, per: "1 minute" }],
  });

/** CIDR ranges or single addresses, IPv4 and IPv6, kept in canonical form by core's rule. */
export const tokenAllowedIps = z
  .array(safeText(z.string({ error: 'must be a string such as "203.0.113.0/24"' })), { error: "must be a list of IP addresses or CIDR ranges" })
  .transform((list, ctx) => {
    const parsed = parseAllowlist(list);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.canonical;
  })
  .meta({
    description:
      "The addresses this token may be used from, as IPv4/IPv6 addresses or CIDR ranges (at most 100). Omit to inherit the creating token's list (any address when created with a password); null for any address.",
    examples: [["203.0.113.0/24", "2001:db8::/32"]],
  });

export const MAX_TOKEN_USES = 1_000_000;

/** Allowed uses in all: a whole number, never a string or a fraction (see auth/uses.ts). */
export const tokenMaxUses = z
  .int({ error: `must be a whole number from 1 to ${MAX_TOKEN_USES.toLocaleString("en")}` })
  .min(1, "must be at least 1")
  .max(MAX_TOKEN_USES, `must be at most ${MAX_TOKEN_USES.toLocaleString("en")}`)
  .meta({
    description:
      "The token is refused after this many allowed uses (1 to 1,000,000); a use refused for another reason (endpoint, address, rate limit) spends none. A token-authenticated request must set it when its own token is use-limited, and the uses are taken from that token's. Offline verifiers (@tokensmith/verify) refuse such tokens. Omit for no limit.",
    examples: [10],
  });

/** Whom the token is meant for, signed as `aud`: checked by the one audience rule (@tokensmith/endpoints). */
export const tokenAudience = z
  .union([safeText(z.string()), z.array(safeText(z.string())).max(MAX_AUDIENCES * 10)], { error: 'must be a string or a list of strings such as "https://api.example.com"' })
  .transform((value, ctx) => {
    const parsed = parseAudience(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.audience;
  })
  .meta({
    description:
      `The audiences the token is meant for, signed into it as \`aud\`: an absolute URI or a urn:, or a list of at most ${MAX_AUDIENCES}, kept exactly as given. ` +
      "Omit to inherit the creating token's (DEFAULT_AUDIENCE when created with a password); null for DEFAULT_AUDIENCE (none when unset). " +
      "A token created by a token may only name audiences its creator names.",
    examples: ["https://api.example.com", ["https://api.example.com", "urn:example:billing"]],
  });

/** RFC 7638 SHA-256 thumbprint of the key that must sign a DPoP proof for every use (RFC 9449). */
export const tokenDpopJkt = z
  .string()
  .refine(isJwkThumbprint, "must be a JWK SHA-256 thumbprint (RFC 7638): 43 base64url characters")
  .meta({
    description:
      "Binds the token to a key (DPoP, RFC 9449): the RFC 7638 SHA-256 thumbprint of its public JWK, signed into the token as `cnf.jkt`. " +
      "Every use then needs `Authorization: DPoP <token>` and a `DPoP` proof signed by that key. Omit to bind to the key of a `DPoP` proof sent with this request, " +
      "or to the creating token's key when that token is bound (a bound token's children are bound); a binding is never removed.",
    examples: ["0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"],
  });

export const createTokenInput = z.object({
  description: tokenDescription,
  life: tokenLifetime,
  endpoints: tokenEndpoints.optional(),
  rateLimit: tokenRateLimit.nullable().optional(),
  allowedIps: tokenAllowedIps.nullable().optional(),
  maxUses: tokenMaxUses.optional(),
  audience: tokenAudience.nullable().optional(),
  dpopJkt: tokenDpopJkt.optional(),
});
export const tokenIdInput = z.object({ id: tokenId });
export const updateTokenInput = z.object({ id: tokenId, description: tokenDescription });
export const rotateTokenInput = z.object({
  id: tokenId,
  overlap: tokenLifetime
    .optional()
    .meta({ description: "How long the old token keeps working, e.g. \"10 minutes\"; default: it stops at once" }),
  rateLimit: tokenRateLimit.nullable().optional().meta({ description: "A new rate limit for the replacement; omit to keep the old token's" }),
  allowedIps: tokenAllowedIps.nullable().optional().meta({ description: "A new allowlist for the replacement; omit to keep the old token's" }),
  audience: tokenAudience
    .nullable()
    .optional()
    .meta({ description: "New audiences for the replacement (null: DEFAULT_AUDIENCE, or none); omit to keep the old token's" }),
  dpopJkt: tokenDpopJkt.optional().meta({ description: "Binds the replacement to this key (DPoP); omit to keep the old token's binding, or bind to a DPoP proof sent with the request" }),
});

export type CreateTokenInput = z.input<typeof createTokenInput>;
export type RotateTokenInput = z.infer<typeof rotateTokenInput>;

/** A token as every client sees it: never the JWT itself, which exists only in the create response. */
export interface TokenView {
  id: string;
  description: string;
  lifeSeconds: number;
  createdAt: string;
  expiresAt: string;
  /** Seconds left, a float; 0 once expired. */
  remainingSeconds: number;
  status: ExpiryStatus;
  /** valid, expiring (less than min(10% of its life, 24 h) left), expired or revoked. */
  state: TokenState;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  /** Allowed endpoints; null: all. */
  endpoints: string[] | null;
  /** When it stops (or stopped) working ahead of expiry: a rotation's overlap end, or its revocation. */
  retiresAt: string | null;
  /** The token that replaced it when it was rotated. */
  rotatedToId: string | null;
  /** The token whose request created this one (it stops when that one does); null: a password or session did. */
  createdByTokenId: string | null;
  /** At most `requests` requests per `perSeconds` (fixed windows); null: no limit. */
  rateLimit: { requests: number; perSeconds: number } | null;
  /** Addresses and CIDR ranges it may be used from; null: any. */
  allowedIps: string[] | null;
  /** Allowed uses in all; null: no limit. */
  maxUses: number | null;
  /** Uses left (as of this read); null: no limit. */
  usesLeft: number | null;
  /** The audiences signed into it as `aud`; null: none. */
  audience: string[] | null;
  /** The DPoP key thumbprint it is bound to (`cnf.jkt`); null: a plain Bearer token. */
  dpopJkt: string | null;
  /** While paused: since when (refused everywhere until resumed); null: not paused. */
  pausedAt: string | null;
  /** The token whose pause paused this one (itself, or the token that created it); null: not paused. */
  pausedWithId: string | null;
}

/** What a view says that does not move with the clock. */
type FixedView = Omit<TokenView, "remainingSeconds" | "status" | "state">;

/**
 * Fixed parts of the views of cached rows: the readers hand out one frozen object per cached row
 * until a write replaces it, so its dates are formatted and its lists parsed once, not on every
 * GET (four toISOString calls were a tenth of the request's own CPU). Unfrozen records (lists,
 * fresh reads) are not kept.
 */
const fixedViews = new WeakMap<AccessToken, FixedView>();

function fixedView(record: AccessToken): FixedView {
  return {
    id: record.id,
    description: record.description,
    lifeSeconds: record.lifeSeconds,
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: record.lastUsedIp,
    endpoints: record.endpoints === null ? null : (JSON.parse(record.endpoints) as string[]),
    retiresAt: record.revokedAt?.toISOString() ?? null,
    rotatedToId: record.replacedById,
    createdByTokenId: record.parentId,
    rateLimit:
      record.rateLimitRequests !== null && record.rateLimitSeconds !== null ? { requests: record.rateLimitRequests, perSeconds: record.rateLimitSeconds } : null,
    allowedIps: record.allowedIps === null ? null : (JSON.parse(record.allowedIps) as string[]),
    maxUses: record.maxUses,
    usesLeft: record.usesLeft,
    audience: record.audience === null ? null : (JSON.parse(record.audience) as string[]),
    dpopJkt: record.dpopJkt,
    pausedAt: record.pausedAt?.toISOString() ?? null,
    pausedWithId: record.pausedBy,
  };
}

export function toTokenView(record: AccessToken, now: number = Date.now()): TokenView {
  const cached = Object.isFrozen(record);
  let fixed = cached ? fixedViews.get(record) : undefined;
  if (fixed === undefined) {
    fixed = fixedView(record);
    // Shared by every view of this record from now on: nobody may change it under the others.
    if (cached) fixedViews.set(record, deepFreeze(fixed));
  }
  return {
    id: fixed.id,
    description: fixed.description,
    lifeSeconds: fixed.lifeSeconds,
    createdAt: fixed.createdAt,
    expiresAt: fixed.expiresAt,
    remainingSeconds: remainingSeconds(record.expiresAt, now),
    status: expiryStatus(record.expiresAt, now),
    state: tokenState(record, now),
    lastUsedAt: fixed.lastUsedAt,
    lastUsedIp: fixed.lastUsedIp,
    endpoints: fixed.endpoints,
    retiresAt: fixed.retiresAt,
    rotatedToId: fixed.rotatedToId,
    createdByTokenId: fixed.createdByTokenId,
    rateLimit: fixed.rateLimit,
    allowedIps: fixed.allowedIps,
    maxUses: fixed.maxUses,
    usesLeft: fixed.usesLeft,
    audience: fixed.audience,
    dpopJkt: fixed.dpopJkt,
    pausedAt: fixed.pausedAt,
    pausedWithId: fixed.pausedWithId,
  };
}

function deepFreeze(view: FixedView): FixedView {
  if (view.endpoints) Object.freeze(view.endpoints);
  if (view.allowedIps) Object.freeze(view.allowedIps);
  if (view.audience) Object.freeze(view.audience);
  if (view.rateLimit) Object.freeze(view.rateLimit);
  return Object.freeze(view);
}

export const TOKEN_NOT_FOUND = "Token does not exist";
