import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

export const MIN_MASTER_SECRET_LENGTH = 32;
const SEAL_VERSION = "v1";

/**
 * The one secret that never enters the database (TOKENSMITH_SECRET, or a 0600 file). Everything
 * secret that must be stored — signing keys above all — is sealed with keys derived from it, so a
 * copy of the database alone opens nothing.
 */
export class MasterSecret {
  private constructor(private readonly material: Buffer) {}

  static from(text: string): MasterSecret {
    const trimmed = text.trim();
    if (trimmed.length < MIN_MASTER_SECRET_LENGTH) {
      throw new Error(`the master secret must be at least ${MIN_MASTER_SECRET_LENGTH} characters long`);
    }
    return new MasterSecret(Buffer.from(trimmed, "utf8"));
  }

  /** 256 random bits, as text fit for a file or an environment variable. */
  static generate(): string {
    return randomBytes(32).toString("base64url");
  }

  /** A key for one purpose (HKDF-SHA256): knowing one derived key tells nothing of another. */
  derive(purpose: string, length = 32): Buffer {
    return Buffer.from(hkdfSync("sha256", this.material, Buffer.alloc(0), `tokensmith ${purpose}`, length));
  }

  /**
   * AES-256-GCM. `context` (say, a key's id and algorithm) is authenticated but not stored: a sealed
   * value moved to another row, or altered, fails to open.
   */
  seal(plaintext: Buffer, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.derive("sealing"), iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [SEAL_VERSION, iv.toString("base64url"), sealed.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
  }

  open(sealed: string, context: string): Buffer {
    const [version, iv, body, tag] = sealed.split(".");
    if (version !== SEAL_VERSION || !iv || body === undefined || !tag) throw new Error("not a sealed value");
    const decipher = createDecipheriv("aes-256-gcm", this.derive("sealing"), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
    } catch {
      throw new Error("a sealed value does not open with this master secret (TOKENSMITH_SECRET differs from the one that sealed it?)");
    }
  }
}
