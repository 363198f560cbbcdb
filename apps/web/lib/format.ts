/**
 * "3 h 12 min", "6 d 4 h": the two largest units, enough to read at a glance; under an hour only
 * the minutes ("58 min"), and seconds only in the last minute, so a list of tokens expiring soon
 * changes once a minute instead of ticking every second.
 */
export function formatRemaining(seconds: number): string {
  if (seconds <= 0) return "Expired";
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${secs} s`;
}

const dateTime: Intl.DateTimeFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export function formatDate(iso: string | null): string {
  return iso ? dateTime.format(new Date(iso)) : "Never";
}

const UNITS = [
  [365 * 86_400, "year"],
  [86_400, "day"],
  [3600, "hour"],
  [60, "minute"],
  [1, "second"],
] as const;

/** A lifetime as a person would say it: "30 days", "1 hour 30 minutes", "1 year 35 days". */
export function formatLifetime(seconds: number): string {
  const parts: string[] = [];
  let left = Math.round(seconds);
  for (const [size, unit] of UNITS) {
    if (left >= size && parts.length < 2) {
      const n = Math.floor(left / size);
      parts.push(`${n} ${unit}${n === 1 ? "" : "s"}`);
      left -= n * size;
    }
    if (parts.length > 0 && left === 0) break;
  }
  return parts.join(" ") || "0 seconds";
}

export const shortId = (id: string) => id.slice(0, 8);

const counter = new Intl.NumberFormat("en");
export const formatCount = (n: number) => counter.format(n);
