import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import type { AuthedContext } from "../../context/index.js";
import { auditRow, byCaller } from "../../audit/record.js";
import { invalidField } from "../field-error.js";
import { checkWebhookUrl, vetHost } from "../../webhooks/url-policy.js";
import { generateWebhookSecret, urlForAudit } from "../../webhooks/signing.js";
import { toWebhookView, type CreateWebhookInput, type WebhookView } from "./webhook.schema.js";

export type CreatedWebhook = WebhookView & { secret: string };

/** Each endpoint multiplies every event into a POST to someone: a user gets a few, not thousands. */
export const MAX_WEBHOOKS_PER_USER = 20;

/**
 * Saves an endpoint after the same URL rules the deliverer applies (its host resolved and every
 * address vetted now, and again at each delivery). The secret is sealed before it is stored and
 * returned this once; the endpoint and its audit event commit together.
 */
export async function createWebhookHandler(ctx: AuthedContext, input: CreateWebhookInput): Promise<CreatedWebhook> {
  const allUsers = input.scope === "all";
  if (allUsers && !ctx.caller.isAdmin) {
    throw new TRPCError({ code: "FORBIDDEN", message: 'Only administrators can create endpoints with scope "all"' });
  }
  // Every user's token events, for as long as the endpoint lives: like granting admin, that needs
  // the administrator's password (a session, Basic or the CLI), not a token that may have leaked.
  if (allUsers && ctx.caller.via === "bearer") {
    throw new TRPCError({ code: "FORBIDDEN", message: 'An endpoint with scope "all" needs an administrator signed in with a password, not a token' });
  }
  const owned = await ctx.db.webhookEndpoint.count({ where: { userId: ctx.caller.userId } });
  if (owned >= MAX_WEBHOOKS_PER_USER) {
    throw new TRPCError({ code: "FORBIDDEN", message: `A user may have at most ${MAX_WEBHOOKS_PER_USER} webhook endpoints; delete one first` });
  }
  const { allowPrivate } = ctx.config.webhooks;
  const checked = checkWebhookUrl(input.url, allowPrivate);
  if (!checked.ok) throw invalidField("url", checked.message, `url: ${checked.message}`);
  const vetted = await vetHost(checked.url, allowPrivate);
  if (!vetted.ok) throw invalidField("url", `is refused: ${vetted.message}`, `url: ${vetted.message}`);
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const events = [...input.events];
  const audit = auditRow(ctx, { action: "webhook.create", ...byCaller(ctx), detail: { webhookId: id, url: urlForAudit(checked.url.href), events, scope: allUsers ? "all" : "own" } });
  const [endpoint] = await ctx.db.$transaction([
    ctx.db.webhookEndpoint.create({
      data: { id, userId: ctx.caller.userId, allUsers, url: ctx.webhooks.sealUrl(id, checked.url.href), events: JSON.stringify(events), sealedSecret: ctx.webhooks.sealSecret(id, secret) },
    }),
    ctx.db.auditEvent.create({ data: audit }),
  ]);
  return { ...toWebhookView(endpoint, checked.url.href), secret };
}
