import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "@tokensmith/testkit";
import { ConfigError, loadConfig } from "../src/config.js";
import { openServices, type OpenedServices } from "../src/app.js";

const DAY = 86_400_000;
let database: TestDatabase | undefined;
let opened: OpenedServices | undefined;
afterEach(async () => {
  await opened?.close();
  await database?.drop();
  opened = database = undefined;
});

async function open(env: Record<string, string>): Promise<OpenedServices> {
  database = await createTestDatabase();
  opened = await openServices(loadConfig({ DATABASE_URL: database.url, TOKENSMITH_SECRET: "t".repeat(32), ...env }));
  return opened;
}

/** An expired session, an audit event 500 days old, and a token that expired a minute ago. */
async function seed({ services: { db } }: OpenedServices) {
  const user = await db.user.create({ data: { username: "alice", passwordHash: "x" } });
  await db.session.create({ data: { id: randomUUID(), userId: user.id, expiresAt: new Date(Date.now() - 1000) } });
  await db.auditEvent.create({ data: { action: "token.create", at: new Date(Date.now() - 500 * DAY) } });
  const expiresAt = new Date(Date.now() - 60_000);
  await db.accessToken.create({
    data: { id: randomUUID(), userId: user.id, description: "old", lifeSeconds: 60, tokenHash: randomUUID(), createdAt: new Date(expiresAt.getTime() - 60_000), expiresAt },
  });
  return async () => ({ sessions: await db.session.count(), auditEvents: await db.auditEvent.count(), tokens: await db.accessToken.count() });
}

describe("retention settings", () => {
  it("default to an hourly pass, audit events for 400 days and ended tokens for 90 days", () => {
    const config = loadConfig({});
    expect([config.retentionIntervalSeconds, config.auditRetentionSeconds, config.tokenRetentionSeconds]).toEqual([3600, 400 * 86_400, 90 * 86_400]);
  });

  it('take the lifetime syntax, and "off" or 0 to keep things forever', () => {
    const config = loadConfig({ RETENTION_INTERVAL: " 15 min ", AUDIT_RETENTION: "OFF", TOKEN_RETENTION: "0" });
    expect([config.retentionIntervalSeconds, config.auditRetentionSeconds, config.tokenRetentionSeconds]).toEqual([900, null, null]);
    expect(() => loadConfig({ TOKEN_RETENTION: "90" })).toThrow(ConfigError);
    expect(() => loadConfig({ AUDIT_RETENTION: "400 dayz" })).toThrow(/^AUDIT_RETENTION: Invalid lifetime "400 dayz"/);
  });
});

describe(`the retention scheduler (${testDatabaseKind()})`, () => {
  it("deletes expired sessions and ended tokens, and keeps what a setting switched off", async () => {
    const services = await open({ AUDIT_RETENTION: "off", TOKEN_RETENTION: "30 seconds" });
    const counts = await seed(services);
    expect(await counts()).toEqual({ sessions: 1, auditEvents: 1, tokens: 1 });
    // The token expired a minute ago, past its 30 seconds of retention.
    expect(await services.retention.runOnce()).toMatchObject({ sessions: 1, auditEvents: 0, tokens: 1, busy: false });
    expect(await counts()).toEqual({ sessions: 0, auditEvents: 1, tokens: 0 });
  });

  it("keeps an ended token for TOKEN_RETENTION", async () => {
    const services = await open({ TOKEN_RETENTION: "2 minutes" });
    const counts = await seed(services);
    expect(await services.retention.runOnce()).toMatchObject({ sessions: 1, auditEvents: 1, tokens: 0 });
    expect(await counts()).toEqual({ sessions: 0, auditEvents: 0, tokens: 1 });
  });

  it("deletes usage hours older than the charts' 30 days (a day's margin), keeps the rest, and all of them with TOKEN_RETENTION=off", async () => {
    const hourOf = (ms: number) => new Date(ms - (ms % 3_600_000));
    const seedUsage = async ({ services: { db } }: OpenedServices) => {
      const tokenId = randomUUID();
      // A token that lives on: only its old hours go, not its row or its recent hours.
      const user = await db.user.create({ data: { username: "usage", passwordHash: "x" } });
      await db.accessToken.create({
        data: { id: tokenId, userId: user.id, description: "long-lived", lifeSeconds: 400 * 86_400, tokenHash: randomUUID(), createdAt: new Date(Date.now() - 200 * DAY), expiresAt: new Date(Date.now() + 200 * DAY) },
      });
      for (const daysAgo of [0, 1, 29, 35, 60, 180]) {
        await db.tokenUsage.create({ data: { tokenId, hour: hourOf(Date.now() - daysAgo * DAY), allowed: daysAgo + 1 } });
      }
      return async () => (await db.tokenUsage.findMany({ where: { tokenId }, orderBy: { hour: "desc" } })).map((row) => row.allowed - 1);
    };
    const kept = await open({ TOKEN_RETENTION: "off" });
    const keptDays = await seedUsage(kept);
    expect(await kept.retention.runOnce()).toMatchObject({ usageHours: 0 });
    expect(await keptDays()).toEqual([0, 1, 29, 35, 60, 180]);
    await kept.close();
    await database!.drop();

    const pruned = await open({});
    const prunedDays = await seedUsage(pruned);
    expect(await pruned.retention.runOnce()).toMatchObject({ usageHours: 3, tokens: 0 });
    expect(await prunedDays()).toEqual([0, 1, 29]);
    // The usage chart still shows what it showed.
    const series = await pruned.services.usage.series(await pruned.services.db.accessToken.findFirstOrThrow().then((t) => t.id));
    expect(series.daily.reduce((sum, day) => sum + day.allowed, 0)).toBe(1 + 2 + 30);
  });

  it('runs no pass with RETENTION_INTERVAL=off, and one at start otherwise', async () => {
    const off = await open({ RETENTION_INTERVAL: "off" });
    const offCounts = await seed(off);
    off.retention.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await offCounts()).toMatchObject({ sessions: 1 });
    await off.close();
    await database!.drop();

    const on = await open({ RETENTION_INTERVAL: "1 hour" });
    const onCounts = await seed(on);
    on.retention.start();
    for (let i = 0; i < 50 && (await onCounts()).sessions > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await onCounts()).toMatchObject({ sessions: 0 });
  });
});
