import { createHash, randomBytes } from "node:crypto";

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** 256 random bits, base64url: signing secrets and session ids. */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}
