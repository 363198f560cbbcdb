/**
 * IP addresses and CIDR ranges for token allowlists: parsed by hand (no regular expression meets
 * user input), with no Node API and no dependency, so that the server and the offline verifier
 * share one rule. IPv4 is kept IPv4-mapped (::ffff:a.b.c.d) so that one 16-byte form covers both
 * families and a dual-stack socket's "::ffff:203.0.113.7" is the same caller as "203.0.113.7".
 */

/** A CIDR range: 16 address bytes, and how many leading bits are fixed (0–128). */
export interface AddressRange {
  bytes: Uint8Array;
  prefix: number;
}

export type RangeResult = { ok: true; range: AddressRange; canonical: string } | { ok: false; message: string };
export type AllowlistResult = { ok: true; ranges: AddressRange[]; canonical: string[] } | { ok: false; message: string };

/** At most this many entries in one token's allowlist. */
export const MAX_ALLOWED_ADDRESSES = 100;
/** Longer than any address or range can be written ("ffff:…:255.255.255.255/128" is 49). */
const MAX_TEXT = 64;
const MAPPED_PREFIX = 96;

const isDigit = (code: number) => code >= 48 && code <= 57;
const hexValue = (code: number) =>
  isDigit(code) ? code - 48 : code >= 97 && code <= 102 ? code - 87 : code >= 65 && code <= 70 ? code - 55 : -1;

/** A decimal number of 1–`maxDigits` digits, without leading zeros; -1 when it is not one. */
function decimal(text: string, maxDigits: number): number {
  if (text.length === 0 || text.length > maxDigits) return -1;
  if (text.length > 1 && text.charCodeAt(0) === 48) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

/** "a.b.c.d" → 4 bytes, or null. */
function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    const value = decimal(part, 3);
    if (value < 0 || value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

/** One group of 1–4 hex digits, or -1. */
function parseHextet(text: string): number {
  if (text.length === 0 || text.length > 4) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = hexValue(text.charCodeAt(i));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Colon-separated groups → 16-bit values; a dotted IPv4 is allowed last (as two groups). */
function hextets(text: string, dottedLast: boolean): number[] | null {
  if (text === "") return [];
  const groups = text.split(":");
  const values: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    if (dottedLast && i === groups.length - 1 && group.includes(".")) {
      const v4 = parseIpv4(group);
      if (!v4) return null;
      values.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      continue;
    }
    const value = parseHextet(group);
    if (value < 0) return null;
    values.push(value);
  }
  return values;
}

function parseIpv6(text: string): number[] | null {
  const gap = text.indexOf("::");
  if (gap < 0) {
    const values = hextets(text, true);
    return values && values.length === 8 ? values : null;
  }
  if (text.indexOf("::", gap + 1) >= 0) return null;
  const head = hextets(text.slice(0, gap), false);
  const tail = hextets(text.slice(gap + 2), true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** An IPv4 or IPv6 address (no zone, no brackets, no prefix) → 16 bytes, IPv4 mapped; or null. */
export function parseAddress(text: string): Uint8Array | null {
  if (typeof text !== "string" || text.length === 0 || text.length > MAX_TEXT) return null;
  const bytes = new Uint8Array(16);
  if (!text.includes(":")) {
    const v4 = parseIpv4(text);
    if (!v4) return null;
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    bytes.set(v4, 12);
    return bytes;
  }
  const groups = parseIpv6(text);
  if (!groups) return null;
  groups.forEach((value, i) => {
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function isMapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** `bytes` with every bit past `prefix` cleared. */
function masked(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = bytes[i]! & ((0xff << (8 - bits)) & 0xff);
  }
  return out;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.every((byte, i) => byte === b[i]);

/** RFC 5952 text: IPv4 (mapped) as dotted quad; IPv6 lower case with the longest zero run as "::". */
export function formatRange(range: AddressRange): string {
  const { bytes, prefix } = range;
  if (isMapped(bytes) && prefix >= MAPPED_PREFIX) {
    const text = `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
    return prefix === 128 ? text : `${text}/${prefix - MAPPED_PREFIX}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!);
  let bestStart = -1;
  let bestLength = 1; // a single zero group is not compressed
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) [bestStart, bestLength] = [i, end - i];
    i = end;
  }
  const hex = (list: number[]) => list.map((group) => group.toString(16)).join(":");
  const text =
    bestStart < 0 ? hex(groups) : `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
  return prefix === 128 ? text : `${text}/${prefix}`;
}

/** "203.0.113.0/24", "2001:db8::/32" or a single address (a /32 or /128), in canonical form. */
export function parseRange(text: string): RangeResult {
  if (typeof text !== "string") return { ok: false, message: "must be a string" };
  const shown = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  const notRange = { ok: false as const, message: `"${shown}" is not an IP address or CIDR range` };
  if (text.length > MAX_TEXT) return notRange;
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseAddress(addressText);
  if (!bytes) return notRange;
  const isV4 = !addressText.includes(":");
  let prefix = 128;
  if (slash >= 0) {
    const bits = decimal(text.slice(slash + 1), 3);
    const max = isV4 ? 32 : 128;
    if (bits < 0 || bits > max) {
      return { ok: false, message: `"${shown}" has a prefix length that is not a number from 0 to ${max}` };
    }
    prefix = isV4 ? bits + MAPPED_PREFIX : bits;
  }
  const network = masked(bytes, prefix);
  const range = { bytes: network, prefix };
  const canonical = formatRange(range);
  if (!sameBytes(network, bytes)) {
    return { ok: false, message: `"${shown}" has address bits set past its prefix: did you mean ${canonical}?` };
  }
  return { ok: true, range, canonical };
}

/** Whether every address in `inner` is in `outer`. */
export function rangeContains(outer: AddressRange, inner: AddressRange): boolean {
  return inner.prefix >= outer.prefix && sameBytes(masked(inner.bytes, outer.prefix), outer.bytes);
}

/** A token's allowlist: 1–100 ranges, deduplicated, in canonical form. */
export function parseAllowlist(list: readonly string[]): AllowlistResult {
  if (!Array.isArray(list)) return { ok: false, message: "must be a list of IP addresses or CIDR ranges" };
  if (list.length === 0) {
    return { ok: false, message: "must list at least one address or range (null allows any address)" };
  }
  if (list.length > MAX_ALLOWED_ADDRESSES) {
    return { ok: false, message: `may list at most ${MAX_ALLOWED_ADDRESSES} addresses or ranges` };
  }
  const ranges: AddressRange[] = [];
  const canonical: string[] = [];
  for (const text of list) {
    const parsed = parseRange(text);
    if (!parsed.ok) return parsed;
    if (canonical.includes(parsed.canonical)) continue;
    ranges.push(parsed.range);
    canonical.push(parsed.canonical);
  }
  return { ok: true, ranges, canonical };
}

/** Whether `address` (as a socket or proxy reports it) lies in one of `ranges`; unknown is in none. */
export function addressAllowed(ranges: readonly AddressRange[], address: string | null | undefined): boolean {
  if (!address) return false;
  const bytes = parseAddress(address);
  if (!bytes) return false;
  const host = { bytes, prefix: 128 };
  return ranges.some((range) => rangeContains(range, host));
}

/** Whether every range of `child` lies inside some range of `parent`: no widening by a child token. */
export function allowlistWithin(child: readonly AddressRange[], parent: readonly AddressRange[]): boolean {
  return child.every((inner) => parent.some((outer) => rangeContains(outer, inner)));
}
