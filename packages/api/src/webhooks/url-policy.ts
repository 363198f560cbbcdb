import { isIP } from "node:net";
import { parseAddress, parseRange, rangeContains, type AddressRange } from "@tokensmith/core";
import { lookupHost } from "./host-lookup.js";

export const MAX_WEBHOOK_URL_LENGTH = 2048;

const ranges = (list: string[]): AddressRange[] =>
  list.map((text) => {
    const parsed = parseRange(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.range;
  });

/** Never a receiver, even on premises: nothing listens there, or it is a cloud's metadata service. */
const NEVER = ranges([
  "0.0.0.0/8", "::/128", "224.0.0.0/4", "ff00::/8", "255.255.255.255",
  // Cloud metadata and credential services (AWS, ECS, Alibaba, Oracle), and the same reached
  // through NAT64 or the IPv4-compatible form.
  "169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23", "100.100.100.200", "192.0.0.192",
  "64:ff9b::a9fe:a9fe", "::a9fe:a9fe",
]);
/** Internal addresses: refused unless WEBHOOK_ALLOW_PRIVATE (IPv4 ranges also match their ::ffff: forms). */
const INTERNAL = ranges([
  "127.0.0.0/8", "::1/128",
  "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7",
  "169.254.0.0/16", "fe80::/10",
  "100.64.0.0/10",
  "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4",
  // Forms that reach an IPv4 address of their choosing: NAT64 (well-known and local), IPv4-
  // compatible, SIIT, 6to4, Teredo; and the deprecated site-local range.
  "64:ff9b::/96", "64:ff9b:1::/48", "::/96", "::ffff:0:0:0/96", "2002::/16", "2001::/32",
  "fec0::/10",
]);

/** What WEBHOOK_ALLOW_PRIVATE=1 allows, and what it risks: said wherever a URL is refused for want of it. */
export const ALLOW_PRIVATE_HINT =
  "WEBHOOK_ALLOW_PRIVATE=1 allows it, for receivers on your own network; it also lets every user aim webhooks at this server's network (its internal services and admin pages) and send events over plain http://";

/** A public address: no forbidden range, with WEBHOOK_ALLOW_PRIVATE or without (what an answer may be kept from). */
export function isPublicAddress(address: string | undefined): boolean {
  return address !== undefined && forbiddenKind(address, false) === null;
}

/** What kind of address may not receive webhooks ("a loopback, private … address"), or null. */
function forbiddenKind(address: string, allowPrivate: boolean): string | null {
  const bytes = parseAddress(address);
  if (!bytes) return "not an IP address";
  const host = { bytes, prefix: 128 };
  if (NEVER.some((range) => rangeContains(range, host))) return "an unspecified, multicast or metadata address";
  if (!allowPrivate && INTERNAL.some((range) => rangeContains(range, host))) {
    return `a loopback, private, link-local or shared address. ${ALLOW_PRIVATE_HINT}`;
  }
  return null;
}

/** Why this address may not receive webhooks, or null. */
export function forbiddenAddress(address: string, allowPrivate: boolean): string | null {
  const kind = forbiddenKind(address, allowPrivate);
  return kind === null ? null : `${address} is ${kind}`;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; message: string };

/** The rules a URL must meet before anything is resolved: the one place they are written. */
export function checkWebhookUrl(text: string, allowPrivate: boolean): UrlCheck {
  if (text.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, message: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters long` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "is not a URL" };
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    if (allowPrivate || url.protocol !== "http:") return { ok: false, message: allowPrivate ? "must be an http:// or https:// URL" : "must be an https:// URL" };
    return { ok: false, message: `must be an https:// URL: http:// would send events unencrypted. ${ALLOW_PRIVATE_HINT}` };
  }
  if (url.username || url.password) return { ok: false, message: "must not contain credentials (user:password@)" };
  if (url.hash) return { ok: false, message: "must not contain a #fragment" };
  const literal = hostAddress(url);
  if (literal) {
    const refused = forbiddenAddress(literal, allowPrivate);
    if (refused) return { ok: false, message: `must not point to ${refused}` };
  }
  return { ok: true, url };
}

/** The IP literal a URL names ("[::1]" unbracketed), or null for a host name. */
function hostAddress(url: URL): string | null {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) ? host : null;
}

export interface VettedAddress {
  address: string;
  family: 4 | 6;
}
export type Vetted = { ok: true; addresses: VettedAddress[] } | { ok: false; message: string };

/**
 * Resolves the URL's host and vets every address it has: one forbidden address refuses it (an
 * attacker's DNS can list a public and an internal one). The caller connects only to the returned
 * addresses, so a second, rebound answer is never asked for.
 */
export async function vetHost(url: URL, allowPrivate: boolean): Promise<Vetted> {
  const literal = hostAddress(url);
  let addresses: { address: string; family: number }[];
  try {
    addresses = literal ? [{ address: literal, family: isIP(literal) }] : await lookupHost(url.hostname);
  } catch (error) {
    return { ok: false, message: `${url.hostname} does not resolve (${(error as NodeJS.ErrnoException).code ?? "lookup failed"})` };
  }
  if (addresses.length === 0) return { ok: false, message: `${url.hostname} does not resolve` };
  for (const { address } of addresses) {
    // The kind, never the address: the message reaches the caller, and naming what an internal
    // name resolves to would make this an oracle for the server's own DNS.
    const refused = forbiddenKind(address, allowPrivate);
    if (refused) return { ok: false, message: `${url.hostname} resolves to ${refused}` };
  }
  return { ok: true, addresses: addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 })) };
}
