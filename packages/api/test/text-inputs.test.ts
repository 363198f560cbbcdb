import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { appRouter } from "../src/root.js";
import { createTokenRequest, rotateTokenRequest } from "../src/rest/schemas.js";
import { createWebhookRequest } from "../src/rest/webhook-schemas.js";

/**
 * Every string any procedure or REST route takes refuses what core's isSafeText refuses, whatever
 * the field: a field added tomorrow without safeText fails here, before a NUL in it reaches
 * PostgreSQL as a 500 (or a C1 control reaches an administrator's terminal).
 * Credentials are the exception: a password is only hashed, and sign-in's username and password
 * are judged (and counted) by the guess limits, which store a typed name cleaned.
 */
const CREDENTIALS = new Set(["auth.login.username", "auth.login.password", "user.create.password", "user.resetPassword.password", "auth.changePassword.currentPassword", "auth.changePassword.newPassword"]);
const HOSTILE = ["a\u0000b", "a\u0085b", "a\u009b2Jb", "a\u001bb", "a\u202eb", "a\u2028b", "a\ud800b"];

type Schema = z.ZodType & { _zod: { def: Record<string, any> } };

/** The string schemas inside `schema`, by where they sit ("token.create.description"). */
function strings(schema: Schema, at: string): [string, Schema][] {
  const def = schema._zod.def;
  switch (def.type) {
    case "string":
      return [[at, schema]];
    case "object":
      return Object.entries(def.shape as Record<string, Schema>).flatMap(([key, field]) => strings(field, `${at}.${key}`));
    case "array":
      return strings(def.element, `${at}[]`);
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      return strings(def.innerType, at);
    case "pipe":
      return [...strings(def.in, at), ...strings(def.out, at)];
    case "union":
      return (def.options as Schema[]).flatMap((option) => strings(option, at));
    default:
      return [];
  }
}

const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, { _def: { inputs: Schema[] } }> } })._def.procedures);
const fields: [string, Schema][] = [
  ...procedures.flatMap(([path, procedure]) => procedure._def.inputs.flatMap((input) => strings(input, path))),
  ...strings(createTokenRequest as Schema, "POST /v1alpha/token/"),
  ...strings(rotateTokenRequest as Schema, "POST /v1alpha/token/{id}/rotate"),
  ...strings(createWebhookRequest as Schema, "POST /v1alpha/webhooks/"),
].filter(([at]) => !CREDENTIALS.has(at));

describe("every text input refuses control characters, separators, bidirectional overrides and broken UTF-16", () => {
  it("finds the text fields (the walk reaches them)", () => {
    const names = fields.map(([at]) => at);
    expect(names).toEqual(expect.arrayContaining(["token.create.description", "token.search.q", "audit.list.username", "webhook.create.url", "user.create.username"]));
  });

  it.each(fields)("%s", (_at, schema) => {
    const accepted = HOSTILE.filter((text) => schema.safeParse(text).success);
    expect(accepted).toEqual([]);
  });
});
