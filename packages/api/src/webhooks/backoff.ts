/** Multiples of WEBHOOK_RETRY_BASE before each retry: with 5 s, 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then every 2 h. */
const STEPS = [1, 6, 24, 120, 360, 720, 1440];

/**
 * When attempt `attempt` (1-based) failed at `now`: the next attempt's time, with ±20% jitter so
 * that receivers coming back from an outage are not hit by every delivery at once; or null once
 * that would be past `deadline` (the delivery has failed).
 */
export function nextAttemptAt(attempt: number, now: number, baseMs: number, deadline: number): number | null {
  const step = STEPS[Math.min(attempt, STEPS.length) - 1]!;
  const delay = step * baseMs * (0.8 + Math.random() * 0.4);
  const at = now + Math.round(delay);
  return at > deadline ? null : at;
}
