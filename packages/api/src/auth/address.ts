import { formatRange, parseAddress } from "@tokensmith/core";

/**
 * The address a limit counts against, in one canonical spelling (so "2001:DB8::1", "2001:db8:0::1"
 * and the IPv4-mapped forms of an IPv4 address are each one budget). One IPv6 subscriber holds a
 * whole /64, so counting single IPv6 addresses would hand an attacker 2^64 fresh budgets: IPv6
 * counts per /64. Parsed by the same code as allowlists, not by hand.
 */
export function limitAddress(ip: string | undefined): string {
  if (!ip) return "unknown";
  const bytes = parseAddress(ip);
  // Not an address (a proxy's odd entry): counted as given, within reason.
  if (!bytes) return ip.slice(0, 64);
  const ipv4 = bytes.subarray(0, 12).every((byte, i) => byte === (i < 10 ? 0 : 0xff));
  if (ipv4) return formatRange({ bytes, prefix: 128 });
  bytes.fill(0, 8);
  return formatRange({ bytes, prefix: 64 });
}
