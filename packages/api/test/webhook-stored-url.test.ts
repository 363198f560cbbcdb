import { randomUUID } from "node:crypto";
import { afterEach, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { loadConfig } from "../src/config.js";
import { openServices, type OpenedServices } from "../src/app.js";
import { createCaller } from "../src/root.js";
import { createContextInner } from "../src/context/index.js";

/** Chat services' hook URLs are credentials: whoever has one can post to the channel. */
const HOOK = "https://hooks.example.com/services/T0001/B0002/xoxb-credential-in-the-path";
let database: TestDatabase | undefined;
let opened: OpenedServices | undefined;
afterEach(async () => {
  await opened?.close();
  await database?.drop();
  opened = database = undefined;
});
const open = () => openServices(loadConfig({ DATABASE_URL: database!.url, TOKENSMITH_SECRET: "u".repeat(32) }));

it("a webhook URL is stored sealed; one stored in the clear by an older release is sealed at the next start", async () => {
  database = await createTestDatabase();
  opened = await open();
  const { db, webhooks } = opened.services;
  const user = await db.user.create({ data: { username: "alice", passwordHash: "x" } });
  const id = randomUUID();
  // As an older release wrote it: the URL in the clear.
  await db.webhookEndpoint.create({ data: { id, userId: user.id, url: HOOK, events: JSON.stringify(["token.created"]), sealedSecret: webhooks.sealSecret(id, "whsec_x") } });
  await db.auditEvent.create({ data: { action: "webhook.create", detail: JSON.stringify({ webhookId: id, url: HOOK, events: ["token.created"], scope: "own" }) } });
  // Marked done by the first start; an older release's database has no mark.
  await db.setting.delete({ where: { key: "webhook_audit_urls_scrubbed" } });
  await opened.close();

  opened = await open();
  const row = await opened.services.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
  expect(row.url).not.toContain("hooks.example.com");
  expect(row.url).toMatch(/^v1\./);
  const alice = createCaller(createContextInner({ ...opened.services, caller: { userId: user.id, username: "alice", isAdmin: false, via: "basic" } }));
  expect((await alice.webhook.list()).webhooks.map((w) => w.url)).toEqual([HOOK]);
  // Sealed to its own row: moved to another endpoint's, it does not open.
  expect(() => opened!.services.webhooks.openUrl(randomUUID(), row.url)).toThrow();
  // The audit log keeps the origin only: for new events, and for an older release's events.
  await alice.webhook.delete({ id });
  const audit = await opened.services.db.auditEvent.findMany({ where: { action: { in: ["webhook.create", "webhook.delete"] } }, orderBy: { id: "asc" } });
  expect(audit.map((event) => [event.action, JSON.parse(event.detail!).url])).toEqual([
    ["webhook.create", "https://hooks.example.com/…"],
    ["webhook.delete", "https://hooks.example.com/…"],
  ]);
  expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ webhookId: id, events: ["token.created"], scope: "own" });
});

it("an endpoint sealed with another master secret is listed as unreadable and can be deleted; the list does not fail", async () => {
  database = await createTestDatabase();
  opened = await open();
  const { db } = opened.services;
  const user = await db.user.create({ data: { username: "bob", passwordHash: "x" } });
  const id = randomUUID();
  await db.webhookEndpoint.create({ data: { id, userId: user.id, url: "v1.not-ours.AAAA", events: JSON.stringify(["token.created"]), sealedSecret: "v1.not-ours.BBBB" } });
  const bob = createCaller(createContextInner({ ...opened.services, caller: { userId: user.id, username: "bob", isAdmin: false, via: "basic" } }));
  expect((await bob.webhook.list()).webhooks.map((w) => w.url)).toEqual(["(sealed with another master secret)"]);
  await bob.webhook.delete({ id });
  expect(await db.webhookEndpoint.count()).toBe(0);
});
