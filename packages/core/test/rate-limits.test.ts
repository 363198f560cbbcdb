import { describe, expect, it } from "vitest";
import { parseRateLimit, rateLimitWithin, rateWindowStart } from "../src/index.js";

describe("rate limits", () => {
  it("takes requests per window in the lifetime syntax, within bounds", () => {
    expect(parseRateLimit({ requests: 100, per: "1 minute" })).toEqual({ ok: true, limit: { requests: 100, windowSeconds: 60 } });
    expect(parseRateLimit({ requests: 5, per: "2h" })).toEqual({ ok: true, limit: { requests: 5, windowSeconds: 7200 } });
    expect(parseRateLimit({ requests: 0, per: "1 minute" })).toMatchObject({ ok: false, field: "requests" });
    expect(parseRateLimit({ requests: 1.5, per: "1 minute" })).toMatchObject({ ok: false, field: "requests" });
    expect(parseRateLimit({ requests: 2_000_000, per: "1 minute" })).toMatchObject({ ok: false, field: "requests" });
    expect(parseRateLimit({ requests: 10, per: "soon" })).toMatchObject({ ok: false, field: "per", message: expect.stringMatching(/window/i) });
    expect(parseRateLimit({ requests: 10, per: "2 days" })).toMatchObject({ ok: false, field: "per" });
  });

  it("a child may not have a bigger burst or a higher rate than its parent", () => {
    const parent = { requests: 100, windowSeconds: 60 };
    expect(rateLimitWithin({ requests: 100, windowSeconds: 60 }, parent)).toBe(true);
    expect(rateLimitWithin({ requests: 10, windowSeconds: 1 }, parent)).toBe(false); // 600/min
    expect(rateLimitWithin({ requests: 1, windowSeconds: 1 }, parent)).toBe(true); // 60/min
    expect(rateLimitWithin({ requests: 200, windowSeconds: 3600 }, parent)).toBe(false); // burst 200
    expect(rateLimitWithin(null, parent)).toBe(false);
    expect(rateLimitWithin(null, null)).toBe(true);
    expect(rateLimitWithin(parent, null)).toBe(true);
  });

  it("windows start at multiples of their length", () => {
    expect(rateWindowStart(Date.UTC(2026, 10, 22, 10, 30, 59, 999), 60)).toBe(Date.UTC(2026, 10, 22, 10, 30) / 1000);
    expect(rateWindowStart(Date.UTC(2026, 10, 22, 10, 30), 3600)).toBe(Date.UTC(2026, 10, 22, 10) / 1000);
  });
});
