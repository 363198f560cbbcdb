import { describe, expect, it } from "vitest";
import { parseLifetime, formatLifetime, ACCEPTED_UNITS } from "../src/index.js";

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
