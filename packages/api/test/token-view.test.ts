import type { AccessToken } from "@tokensmith/db";
import { describe, expect, it } from "vitest";
import { toTokenView } from "../src/routers/token/token.schema.js";

const HOUR = 3_600_000;
const created = Date.parse("2026-11-22T10:00:00.000Z");

function record(changes: Partial<AccessToken> = {}): AccessToken {
  return {
    id: "0b7c6a2e-8a51-4f5e-9d0c-3f2b1a4e5d6c",
    userId: "u1",
    description: "ci",
    lifeSeconds: 86_400,
    tokenHash: "h",
    createdAt: new Date(created),
    expiresAt: new Date(created + 24 * HOUR),
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
    endpoints: '["GET /v1alpha/token/*"]',
    familyId: null,
    rotatedAt: null,
    replacedById: null,
    parentId: null,
    signingKeyId: null,
    rateLimitRequests: 10,
    rateLimitSeconds: 60,
    allowedIps: '["10.0.0.0/8"]',
    maxUses: null,
    usesLeft: null,
    pausedAt: null,
    pausedBy: null,
    pauseCount: 0,
    audience: '["https://api.example.com"]',
    dpopJkt: null,
    ...changes,
  };
}

describe("token views of cached (frozen) rows", () => {
  it("keep the clock-bound fields current and the rest as the row says", () => {
    const row = Object.freeze(record());
    const early = toTokenView(row, created + HOUR);
    const late = toTokenView(row, created + 23.5 * HOUR);
    expect(early.remainingSeconds).toBe(23 * 3600);
    expect(early.state).toBe("valid");
    expect(late.remainingSeconds).toBe(1800);
    expect(late.state).toBe("expiring");
    expect(toTokenView(row, created + 25 * HOUR).state).toBe("expired");
    expect(late).toMatchObject({ createdAt: "2026-11-22T10:00:00.000Z", endpoints: ["GET /v1alpha/token/*"], allowedIps: ["10.0.0.0/8"], audience: ["https://api.example.com"], rateLimit: { requests: 10, perSeconds: 60 } });
    expect(late).toEqual({ ...early, remainingSeconds: late.remainingSeconds, state: late.state });
  });

  it("a row replaced after a write shows the write; a shared list cannot be changed under other views", () => {
    const before = Object.freeze(record());
    expect(toTokenView(before, created).lastUsedAt).toBeNull();
    const after = Object.freeze(record({ lastUsedAt: new Date(created + HOUR), lastUsedIp: "10.0.0.1", revokedAt: new Date(created + 2 * HOUR) }));
    const view = toTokenView(after, created + 3 * HOUR);
    expect(view).toMatchObject({ lastUsedAt: "2026-11-22T11:00:00.000Z", lastUsedIp: "10.0.0.1", retiresAt: "2026-11-22T12:00:00.000Z", state: "revoked" });
    expect(() => view.endpoints!.push("DELETE /v1alpha/token/*")).toThrow(TypeError);
    expect(toTokenView(after, created).endpoints).toEqual(["GET /v1alpha/token/*"]);
  });

  it("rows that are not frozen are read afresh each time", () => {
    const row = record();
    expect(toTokenView(row, created).description).toBe("ci");
    row.description = "renamed";
    row.endpoints = null;
    expect(toTokenView(row, created)).toMatchObject({ description: "renamed", endpoints: null });
  });
});
