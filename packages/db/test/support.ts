import { randomUUID } from "node:crypto";
import { afterEach, beforeEach } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type NewToken, type OpenedDatabase } from "../src/index.js";

/**
 * A token row to write, with no powers and no lineage unless `over` gives them: one place to add
 * a column to, for every storage test.
 */
export function newToken(userId: string, now: number, over: Partial<NewToken> = {}): NewToken {
  return {
    id: randomUUID(), userId, description: "t", lifeSeconds: 3600, tokenHash: randomUUID(), endpoints: null,
    familyId: null, parentId: null, signingKeyId: null, rateLimitRequests: null, rateLimitSeconds: null, allowedIps: null, maxUses: null, usesLeft: null, audience: null, dpopJkt: null,
    createdAt: now, expiresAt: now + 3_600_000, ...over,
  };
}

/** Two handles on one fresh database — two instances sharing it — opened before each test of the file and closed after. */
export function twoInstances(): { a: OpenedDatabase; b: OpenedDatabase } {
  const handles = {} as { a: OpenedDatabase; b: OpenedDatabase; database: TestDatabase };
  beforeEach(async () => {
    handles.database = await createTestDatabase();
    handles.a = await openDatabase(handles.database.url);
    handles.b = await openDatabase(handles.database.url);
  });
  afterEach(async () => {
    await handles.a.close();
    await handles.b.close();
    await handles.database.drop();
  });
  return handles;
}
