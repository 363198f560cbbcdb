import { describe, expect, it } from "vitest";
import { parseLifetime, formatLifetime, ACCEPTED_UNITS, tokenState } from "../src/index.js";

const DAY = 86_400;

describe("parseLifetime", () => {
  it.each([
    ["6 minutes", 360],
    ["3 days", 3 * DAY],
    ["3 weeks", 21 * DAY],
    ["1 hour", 3600],
    ["2h", 7200],
    ["90s", 90],
    ["1 day", DAY],
    ["3 months", 90 * DAY],
    ["1 year", 365 * DAY],
    ["1.5 hours", 5400],
    ["  10   MINUTES ", 600],
    ["2 w", 14 * DAY],
    ["45 sec", 45],
  ])("%s → %i seconds", (input, seconds) => {
    expect(parseLifetime(input)).toEqual({ ok: true, seconds });
  });

  it.each([
    ["", /empty/],
    ["   ", /empty/],
    ["banana", /Invalid lifetime "banana"/],
    ["10 lightyears", /Invalid lifetime/],
    ["0 minutes", /at least 1 second/],
    ["-5 minutes", /at least 1 second/],
    ["500ms", /Invalid lifetime/],
    ["3", /Invalid lifetime/],
    ["days", /Invalid lifetime/],
    ["1e9 days", /Invalid lifetime/],
  ])("rejects %j", (input, message) => {
    const result = parseLifetime(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("names the accepted units in every rejection", () => {
    for (const input of ["banana", "", 42, null, "10 lightyears"]) {
      const result = parseLifetime(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(ACCEPTED_UNITS);
    }
  });

  it.each([[42], [null], [undefined], [{}], [["3 days"]]])("rejects the non-string %j", (input) => {
    const result = parseLifetime(input);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/must be a string/) });
  });

  it("enforces the maximum", () => {
    expect(parseLifetime("365 days", { maxSeconds: 365 * DAY })).toEqual({ ok: true, seconds: 365 * DAY });
    const result = parseLifetime("366 days", { maxSeconds: 365 * DAY });
    expect(result).toEqual({ ok: false, message: 'Lifetime "366 days" exceeds the maximum of 365 days.' });
  });
});

describe("formatLifetime", () => {
  it.each([
    [360, "6 minutes"],
    [DAY, "1 day"],
    [21 * DAY, "21 days"],
    [3600, "1 hour"],
    [90, "2 minutes"],
  ])("%i → %s", (seconds, text) => {
    expect(formatLifetime(seconds)).toBe(text);
  });
});

describe("where a token stands", () => {
  const at = (iso: string) => new Date(iso);
  const now = Date.parse("2026-01-10T00:00:00Z");
  it.each([
    ["a fresh one-hour token", { lifeSeconds: 3600, expiresAt: at("2026-01-10T01:00:00Z"), revokedAt: null }, "valid"],
    ["a one-hour token in its last 6 minutes", { lifeSeconds: 3600, expiresAt: at("2026-01-10T00:05:59Z"), revokedAt: null }, "expiring"],
    ["a 7-day token with 2 days left", { lifeSeconds: 7 * 86_400, expiresAt: at("2026-01-12T00:00:00Z"), revokedAt: null }, "valid"],
    ["a 7-day token with 16 hours left", { lifeSeconds: 7 * 86_400, expiresAt: at("2026-01-10T16:00:00Z"), revokedAt: null }, "expiring"],
    ["a one-year token with 30 days left", { lifeSeconds: 365 * 86_400, expiresAt: at("2026-02-09T00:00:00Z"), revokedAt: null }, "valid"],
    ["a one-year token in its last day", { lifeSeconds: 365 * 86_400, expiresAt: at("2026-01-10T23:00:00Z"), revokedAt: null }, "expiring"],
    ["an expired token", { lifeSeconds: 3600, expiresAt: at("2026-01-09T23:00:00Z"), revokedAt: null }, "expired"],
    ["a revoked token", { lifeSeconds: 3600, expiresAt: at("2026-01-10T01:00:00Z"), revokedAt: at("2026-01-09T23:30:00Z") }, "revoked"],
    ["a token in a rotation's overlap", { lifeSeconds: 86_400, expiresAt: at("2026-01-10T20:00:00Z"), revokedAt: at("2026-01-10T00:10:00Z") }, "valid"],
  ])("%s is %s", (_, token, state) => {
    expect(tokenState(token, now)).toBe(state);
  });
});
