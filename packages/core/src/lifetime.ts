import ms from "ms";

const DAY = 86_400;
/** Units `ms` does not know (months) or counts differently (ms's year is 365.25 days). */
const CALENDAR_UNITS: Record<string, number> = {
  mo: 30 * DAY,
  mos: 30 * DAY,
  month: 30 * DAY,
  months: 30 * DAY,
  y: 365 * DAY,
  yr: 365 * DAY,
  yrs: 365 * DAY,
  year: 365 * DAY,
  years: 365 * DAY,
};
/** Sub-second units parse in `ms` but make no sense for an access token. */
const REFUSED_UNITS = new Set(["ms", "msec", "msecs", "millisecond", "milliseconds"]);

export const ACCEPTED_UNITS =
  "seconds (s), minutes (m), hours (h), days (d), weeks (w), months (30 days), years (365 days)";

export type LifetimeResult = { ok: true; seconds: number } | { ok: false; message: string };

const fail = (message: string): LifetimeResult => ({ ok: false, message });
const invalid = (input: string) =>
  fail(
    `Invalid lifetime "${input}": give a number and a unit, e.g. "6 minutes", "3 days", "2h". Accepted units: ${ACCEPTED_UNITS}.`,
  );

/**
 * Parses a human lifetime ("6 minutes", "3 weeks", "2h", "90s") into whole seconds.
 * The one place where lifetime rules live: the API, the dashboard and config all call it.
 */
export function parseLifetime(input: unknown, opts: { maxSeconds?: number } = {}): LifetimeResult {
  if (typeof input !== "string") {
    return fail(`Lifetime must be a string such as "3 days". Accepted units: ${ACCEPTED_UNITS}.`);
  }
  const text = input.trim().toLowerCase().replace(/\s+/g, " ");
  if (text === "") return fail(`Lifetime is empty. Accepted units: ${ACCEPTED_UNITS}.`);
  const match = /^(-?\d+(?:\.\d+)?) ?([a-z]+)$/.exec(text);
  if (!match) return invalid(input);
  const amount = Number(match[1]);
  const unit = match[2]!;
  if (REFUSED_UNITS.has(unit)) return invalid(input);
  const calendar = CALENDAR_UNITS[unit];
  const millis = calendar !== undefined ? amount * calendar * 1000 : ms(`${amount} ${unit}` as ms.StringValue);
  if (typeof millis !== "number" || !Number.isFinite(millis)) return invalid(input);
  const seconds = Math.round(millis / 1000);
  if (seconds < 1) return fail(`Lifetime "${input}" must be at least 1 second.`);
  if (opts.maxSeconds !== undefined && seconds > opts.maxSeconds) {
    return fail(`Lifetime "${input}" exceeds the maximum of ${formatLifetime(opts.maxSeconds)}.`);
  }
  return { ok: true, seconds };
}

/** "360" → "6 minutes": the long form people read in lists and messages. */
export function formatLifetime(seconds: number): string {
  if (seconds % DAY === 0 && seconds >= DAY) {
    const days = seconds / DAY;
    return `${days} day${days === 1 ? "" : "s"}`;
  }
  return ms(seconds * 1000, { long: true });
}
