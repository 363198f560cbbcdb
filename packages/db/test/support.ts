import { randomUUID } from "node:crypto";
import type { NewToken } from "../src/index.js";

/**
 * A token row to write, with no powers and no lineage unless `over` gives them: one place to add
 * a column to, for every storage test.
 */
export function newToken(userId: string, now: number, over: Partial<NewToken> = {}): NewToken {
  return {
    id: randomUUID(), userId, description: "t", lifeSeconds: 3600, tokenHash: randomUUID(), endpoints: null,
    familyId: null, parentId: null, signingKeyId: null, rateLimitRequests: null, rateLimitSeconds: null, allowedIps: null,
    createdAt: now, expiresAt: now + 3_600_000, ...over,
  };
}
