import type { Db, TokenPolicy } from "@tokensmith/db";
import type { AuthedContext } from "../context/index.js";
import { invalidField } from "../routers/field-error.js";
import { effectivePolicy, policyBreaches, type EffectivePolicy, type PolicyRow, type TokenFacts } from "@tokensmith/core";

export const SERVER_SCOPE = "server";

const rowOf = (stored: TokenPolicy | undefined): PolicyRow | null => stored ?? null;

/** The policy in force for one account: the server's, with the account's own rules over it. */
export async function policyFor(db: Db, owner: { userId: string; username: string }): Promise<EffectivePolicy> {
  const rows = await db.tokenPolicy.findMany({ where: { scope: { in: [SERVER_SCOPE, owner.userId] } } });
  const server = rows.find((row) => row.scope === SERVER_SCOPE);
  const account = rows.find((row) => row.scope === owner.userId);
  return effectivePolicy(rowOf(server), rowOf(account), owner.username);
}

/**
 * Refuses a new token (create or rotate, on every path) that breaks the policy of its owner — the
 * caller, or the service account it acts for — with a 400 naming the policy and the field. The
 * policy is read at every issue: a change applies from the next request, on every instance.
 */
export async function enforcePolicy(ctx: AuthedContext, token: TokenFacts): Promise<void> {
  const breaches = policyBreaches(await policyFor(ctx.db, ctx.caller), token);
  if (breaches.length === 0) return;
  const [first] = breaches;
  throw invalidField(first!.field, first!.message, breaches.map((b) => b.message).join("; "));
}
