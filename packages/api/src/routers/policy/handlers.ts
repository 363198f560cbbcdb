import { TRPCError } from "@trpc/server";
import { parseLifetime } from "@tokensmith/core";
import { inForceWhere, type TokenPolicy } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { findUserByName } from "../../auth/users.js";
import { invalidField } from "../field-error.js";
import { toTokenView } from "../token/token.schema.js";
import { describePolicy, effectivePolicy, policyBreaches, type EffectivePolicy } from "@tokensmith/core";
import { policyFor, SERVER_SCOPE } from "../../policies/store.js";
import { serviceAccountFor } from "../service-account/access.js";
import type { EffectivePolicyView, PolicyView, PolicyViolation, SetPolicyInput } from "./policy.schema.js";

async function scopeOf(ctx: AuthedContext, account: string | undefined): Promise<{ scope: string; name: string | null }> {
  if (account === undefined) return { scope: SERVER_SCOPE, name: null };
  const user = await findUserByName(ctx.db, account, { id: true, username: true });
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: `No account named "${account}"` });
  return { scope: user.id, name: user.username };
}

const toView = (name: string | null, row: TokenPolicy | null): PolicyView => ({
  scope: name === null ? "server" : "account",
  account: name,
  maxLifeSeconds: row?.maxLifeSeconds ?? null,
  requireEndpoints: row?.requireEndpoints ?? null,
  requireAllowedIps: row?.requireAllowedIps ?? null,
  maxRateLimit: row?.maxRateRequests != null && row.maxRateSeconds != null ? { requests: row.maxRateRequests, perSeconds: row.maxRateSeconds } : null,
  allowRotationOverlap: row?.allowRotationOverlap ?? null,
});

export async function getPolicy(ctx: AuthedContext, input: { account?: string | undefined }): Promise<PolicyView> {
  const { scope, name } = await scopeOf(ctx, input.account);
  return toView(name, await ctx.db.tokenPolicy.findUnique({ where: { scope } }));
}

/** Changes rules of one policy. Tokens already issued are left alone: see policyViolations. */
export async function setPolicy(ctx: AuthedContext, input: SetPolicyInput): Promise<PolicyView> {
  const { scope, name } = await scopeOf(ctx, input.account);
  let maxLifeSeconds: number | null | undefined;
  if (input.maxLife !== undefined && input.maxLife !== null) {
    const life = parseLifetime(input.maxLife, { maxSeconds: ctx.config.maxTokenLifeSeconds });
    if (!life.ok) throw invalidField("maxLife", life.message, `maxLife: ${life.message}`);
    maxLifeSeconds = life.seconds;
  } else maxLifeSeconds = input.maxLife;
  const data = {
    ...(maxLifeSeconds !== undefined ? { maxLifeSeconds } : {}),
    ...(input.requireEndpoints !== undefined ? { requireEndpoints: input.requireEndpoints } : {}),
    ...(input.requireAllowedIps !== undefined ? { requireAllowedIps: input.requireAllowedIps } : {}),
    ...(input.maxRateLimit !== undefined
      ? { maxRateRequests: input.maxRateLimit?.requests ?? null, maxRateSeconds: input.maxRateLimit?.windowSeconds ?? null }
      : {}),
    ...(input.allowRotationOverlap !== undefined ? { allowRotationOverlap: input.allowRotationOverlap } : {}),
    updatedAt: new Date(),
  };
  const row = await ctx.db.tokenPolicy.upsert({ where: { scope }, create: { scope, ...data }, update: data });
  const view = toView(name, row);
  await recordAudit(ctx, { action: "token_policy.set", ...byCaller(ctx), detail: { ...view } });
  return view;
}

const effectiveView = (account: string, policy: EffectivePolicy): EffectivePolicyView => ({
  account,
  lines: describePolicy(policy),
  rules: policy,
  maxLifeSeconds: policy.maxLifeSeconds?.value ?? null,
  requireEndpoints: policy.requireEndpoints !== null,
  requireAllowedIps: policy.requireAllowedIps !== null,
  maxRateLimit: policy.maxRateLimit && { requests: policy.maxRateLimit.value.requests, perSeconds: policy.maxRateLimit.value.windowSeconds },
  allowRotationOverlap: policy.noRotationOverlap === null,
});

/** What applies to the caller's new tokens, or to a service account's it may issue (the create dialog). */
export async function effectiveFor(ctx: AuthedContext, input: { account?: string | undefined }): Promise<EffectivePolicyView> {
  const owner = input.account === undefined ? ctx.caller : await serviceAccountFor(ctx, input.account).then((a) => ({ userId: a.id, username: a.username }));
  return effectiveView(owner.username, await policyFor(ctx.db, owner));
}

const BATCH = 1000;

/**
 * Tokens in force that break the policy now in force for their owner (made before it changed):
 * nothing ends them, an administrator decides. Read a thousand at a time in id order, so a page
 * costs memory for one batch however many tokens there are.
 */
export async function policyViolations(ctx: AuthedContext, input: { account?: string | undefined; cursor?: string | undefined; limit: number }) {
  if (!ctx.caller.isAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators may list the tokens that break a policy" });
  const only = input.account === undefined ? null : await scopeOf(ctx, input.account);
  const policies = await ctx.db.tokenPolicy.findMany();
  const server = policies.find((p) => p.scope === SERVER_SCOPE) ?? null;
  const own = new Map(policies.map((p) => [p.scope, p]));
  const found: PolicyViolation[] = [];
  if (policies.length === 0) return { tokens: found, nextCursor: null };
  const now = new Date();
  let cursor = input.cursor;
  for (;;) {
    const batch = await ctx.db.accessToken.findMany({
      where: { ...inForceWhere(now), expiresAt: { gt: now }, ...(only ? { userId: only.scope } : {}), ...(cursor ? { id: { gt: cursor } } : {}) },
      include: { user: { select: { username: true, accountType: true } } },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    for (const token of batch) {
      const view = toTokenView(token, now.getTime());
      const policy = effectivePolicy(server, own.get(token.userId) ?? null, token.user.username);
      const rateLimit = view.rateLimit && { requests: view.rateLimit.requests, windowSeconds: view.rateLimit.perSeconds };
      const breaches = policyBreaches(policy, { lifeSeconds: token.lifeSeconds, endpoints: view.endpoints, allowedIps: view.allowedIps, rateLimit });
      if (breaches.length === 0) continue;
      found.push({
        id: token.id,
        username: token.user.username,
        accountType: token.user.accountType === "service" ? "service" : "person",
        description: token.description,
        expiresAt: view.expiresAt,
        breaches: breaches.map((b) => b.message),
      });
      if (found.length === input.limit) return { tokens: found, nextCursor: token.id };
    }
    if (batch.length < BATCH) return { tokens: found, nextCursor: null };
    cursor = batch[batch.length - 1]!.id;
  }
}
