import { createTRPCRouter, protectedProcedure } from "../../trpc.js";
import { invalidField } from "../field-error.js";
import { createTokenInput, rotateTokenInput, tokenId, tokenIdInput, updateTokenInput } from "./token.schema.js";
import { createTokenHandler } from "./create.handler.js";
import { listTokensHandler } from "./list.handler.js";
import { getTokenHandler } from "./get.handler.js";
import { revokeManyHandler, revokeTokenHandler } from "./revoke.handler.js";
import { searchTokensInput } from "./search.schema.js";
import { searchTokensHandler } from "./search.handler.js";
import { tokenDetailHandler, tokenUsageHandler } from "./detail.handler.js";
import { z } from "zod";
import { rotateTokenHandler } from "./rotate.handler.js";
import { revokeSelfHandler, selfHandler } from "./self.handler.js";
import { updateTokenHandler } from "./update.handler.js";
import { pauseTokenHandler, resumeTokenHandler } from "./pause.handler.js";

/**
 * The REST route each procedure stands for, so one allowed-endpoint pattern governs both. The id is
 * validated before it is matched against any pattern: only a UUID ever reaches the matcher.
 */
function idOf(input: unknown): string {
  const parsed = tokenId.safeParse((input as { id?: unknown } | undefined)?.id);
  if (!parsed.success) throw invalidField("id", "must be a UUID", "id: must be a UUID");
  return parsed.data;
}
const rest = (method: string, path: (input: unknown) => string = () => "") => ({
  endpoint: (input: unknown) => `${method} /v1alpha/token/${path(input)}`,
});

export const tokenRouter = createTRPCRouter({
  create: protectedProcedure
    .meta(rest("POST"))
    .input(createTokenInput)
    .mutation(({ ctx, input }) => createTokenHandler(ctx, input)),
  list: protectedProcedure.meta(rest("GET")).query(({ ctx }) => listTokensHandler(ctx)),
  get: protectedProcedure
    .meta(rest("GET", idOf))
    .input(tokenIdInput)
    .query(({ ctx, input }) => getTokenHandler(ctx, input)),
  /** A new description (REST: PATCH /v1alpha/token/{id}). */
  update: protectedProcedure
    .meta(rest("PATCH", idOf))
    .input(updateTokenInput)
    .mutation(({ ctx, input }) => updateTokenHandler(ctx, input)),
  /** Refused everywhere until resumed, with what it created (REST: POST /v1alpha/token/{id}/pause). */
  pause: protectedProcedure
    .meta(rest("POST", (input) => `${idOf(input)}/pause`))
    .input(tokenIdInput)
    .mutation(({ ctx, input }) => pauseTokenHandler(ctx, input)),
  /** Undoes its own pause (REST: POST /v1alpha/token/{id}/resume). */
  resume: protectedProcedure
    .meta(rest("POST", (input) => `${idOf(input)}/resume`))
    .input(tokenIdInput)
    .mutation(({ ctx, input }) => resumeTokenHandler(ctx, input)),
  revoke: protectedProcedure
    .meta(rest("DELETE", idOf))
    .input(tokenIdInput)
    .mutation(({ ctx, input }) => revokeTokenHandler(ctx, input)),
  rotate: protectedProcedure
    .meta(rest("POST", (input) => `${idOf(input)}/rotate`))
    .input(rotateTokenInput)
    .mutation(({ ctx, input }) => rotateTokenHandler(ctx, input)),
  self: protectedProcedure.meta(rest("GET", () => "self")).query(({ ctx }) => selfHandler(ctx)),
  /** The dashboard's list: searched, filtered, sorted and paged in the database. */
  search: protectedProcedure
    .meta(rest("GET"))
    .input(searchTokensInput)
    .query(({ ctx, input }) => searchTokensHandler(ctx, input)),
  /** One token with its lineage, its audit events and its usage. */
  detail: protectedProcedure
    .meta(rest("GET", idOf))
    .input(tokenIdInput)
    .query(({ ctx, input }) => tokenDetailHandler(ctx, input)),
  usage: protectedProcedure
    .meta(rest("GET", (input) => `${idOf(input)}/usage`))
    .input(tokenIdInput)
    .query(({ ctx, input }) => tokenUsageHandler(ctx, input)),
  revokeMany: protectedProcedure
    .input(z.object({ ids: z.array(tokenId).min(1, "give at least one id").max(100, "at most 100 at a time") }))
    .mutation(({ ctx, input }) => revokeManyHandler(ctx, input)),
  revokeSelf: protectedProcedure.meta(rest("DELETE", () => "self")).mutation(({ ctx }) => revokeSelfHandler(ctx)),
});
