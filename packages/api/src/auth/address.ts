import { isIPv6 } from "node:net";

/** Expands an IPv6 address to its eight hextets ("2001:db8::1" → 2001,db8,0,0,0,0,0,1). */
function hextets(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  // An embedded IPv4 tail ("::ffff:1.2.3.4") counts as two hextets.
  const last = right.length > 0 ? right : left;
  if (last.length > 0 && last[last.length - 1]!.includes(".")) last.splice(last.length - 1, 1, "0", "0");
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right].map((h) => h.toLowerCase().replace(/^0+(?=.)/, ""));
}

/**
 * The address a limit counts against. One IPv6 subscriber holds a whole /64, so counting single
 * IPv6 addresses would hand an attacker 2^64 fresh budgets: IPv6 counts per /64.
 */
export function limitAddress(ip: string | undefined): string {
  if (!ip) return "unknown";
  if (!isIPv6(ip)) return ip;
  return `${hextets(ip).slice(0, 4).join(":")}::/64`;
}
