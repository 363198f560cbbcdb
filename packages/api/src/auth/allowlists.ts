import { addressAllowed, parseAllowlist, type AddressRange } from "@tokensmith/core";

/** Parsed allowlists by their text: a token's list is parsed once, not per request. */
const compiled = new Map<string, AddressRange[]>();
const MAX_COMPILED = 10_000;

/**
 * Whether a token with allowlist `list` may be used from `address`. A list that does not parse
 * (only a hand-edited row could hold one) allows nothing; an unknown address is in no list.
 */
export function allowedFrom(list: readonly string[], address: string | null | undefined): boolean {
  const key = list.join(",");
  let ranges = compiled.get(key);
  if (!ranges) {
    const parsed = parseAllowlist(list);
    ranges = parsed.ok ? parsed.ranges : [];
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, ranges);
  }
  return addressAllowed(ranges, address);
}
