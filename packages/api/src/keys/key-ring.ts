import { log } from "../log/logger.js";
import {
  generateSigningKey,
  importPrivateKey,
  importPublicJwk,
  signingKey,
  type KeyLookup,
  type MasterSecret,
  type TokenAlgorithm,
  type TokenSigner,
  type VerificationKey,
} from "@tokensmith/core";
import type { KeyStore, KeyUsage, StoredSigningKey } from "@tokensmith/db";
import type { JWK } from "jose";
import { LEGACY_KID, sealContext, sealHs256, SPECTER_KID, specterKey } from "./bootstrap.js";
import { ConfigError } from "../config.js";

export interface KeyRingOptions {
  alg: TokenAlgorithm;
  /** A next key becomes current this long after it was published. */
  publishDelayMs: number;
  /** Automatic rotation: a current key older than this gets a successor. */
  rotationMs: number | null;
  /** How often keys are reloaded and maintained (other instances' changes show up within it). */
  refreshMs?: number;
}

export interface KeyView {
  kid: string;
  alg: string;
  state: StoredSigningKey["state"];
  liveTokens: number;
  createdAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
  /** For a next key: when it starts signing. For a retired one: when it is dropped. */
  changesAt: string | null;
}

interface LoadedKey {
  stored: StoredSigningKey;
  verify: VerificationKey;
  sign?: TokenSigner;
}

/**
 * The signing keys in memory: the current one signs, every key in the table verifies, and the
 * published ones make the JWKS. Keys are read from the database at start and every `refreshMs`
 * (and at once for a kid not seen yet), so a key made on another instance is known here within
 * that time. `maintain` walks the lifecycle: next → current after the publish delay; retired →
 * dropped once the last token it signed has expired; and automatic rotation.
 */
export class KeyRing {
  private keys = new Map<string, LoadedKey>();
  private current: LoadedKey | undefined;
  private usage = new Map<string, KeyUsage>();
  private loadedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: KeyStore,
    private readonly secret: MasterSecret,
    private readonly options: KeyRingOptions,
  ) {}

  async start(): Promise<void> {
    try {
      await this.maintain(Date.now());
    } catch (error) {
      if (!/does not open/.test((error as Error).message)) throw error;
      throw new ConfigError(
        "The master secret does not open the signing keys in this database: every instance needs the secret that sealed them (TOKENSMITH_SECRET, TOKENSMITH_SECRET_FILE, or the tokensmith.secret file next to the SQLite database)",
      );
    }
    this.timer = setInterval(() => {
      this.maintain(Date.now()).catch((error: unknown) => log.error(`[keys] ${(error as Error).message}`));
    }, this.options.refreshMs ?? 5000).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Whether a current key is loaded and can sign (what readiness asks). */
  get canSign(): boolean {
    return this.current?.sign !== undefined;
  }

  signer(): TokenSigner {
    if (!this.current?.sign) throw new Error("No current signing key");
    return this.current.sign;
  }

  /**
   * By kid; a token without one is an older release's HS256 token, or a Specter one. Unknown kids
   * (and a Specter secret not seen yet: the CLI may have imported it a moment ago) reload once a second at most.
   */
  readonly lookup: KeyLookup = async ({ kid, specter }) => {
    const id = specter ? SPECTER_KID : (kid ?? LEGACY_KID);
    let found = this.keys.get(id);
    if (!found && (kid !== undefined || specter) && Date.now() - this.loadedAt > 1000) {
      await this.reload();
      found = this.keys.get(id);
    }
    return found?.verify;
  };

  /** Every public key that can still verify a live token, and the next one (published before it signs). */
  jwks(now = Date.now()): { keys: JWK[] } {
    const keys = [...this.keys.values()]
      .filter(({ stored }) => stored.publicJwk !== null && (stored.state !== "retired" || (this.usage.get(stored.kid)?.lastExpiresAt ?? 0) > now))
      .map(({ stored }) => JSON.parse(stored.publicJwk!) as JWK);
    return { keys };
  }

  /** Starts a rotation: a new key is published now and signs after the publish delay. */
  async rotate(now = Date.now()): Promise<StoredSigningKey> {
    await this.reload();
    const pending = [...this.keys.values()].find((k) => k.stored.state === "next");
    if (pending) return pending.stored;
    const generated = await generateSigningKey(this.options.alg);
    await this.store.insert(
      {
        kid: generated.kid,
        alg: generated.alg,
        state: "next",
        publicJwk: JSON.stringify(generated.publicJwk),
        sealedKey: this.secret.seal(generated.privateKey, sealContext(generated.kid, generated.alg)),
      },
      now,
    );
    await this.reload();
    return this.keys.get(generated.kid)!.stored;
  }

  async list(now = Date.now()): Promise<KeyView[]> {
    await this.reload();
    this.usage = await this.store.usage(now);
    return [...this.keys.values()].map(({ stored }) => {
      const usage = this.usage.get(stored.kid);
      const changesAt =
        stored.state === "next"
          ? stored.createdAt.getTime() + this.options.publishDelayMs
          : stored.state === "retired"
            ? Math.max(usage?.lastExpiresAt ?? now, now)
            : null;
      return {
        kid: stored.kid,
        alg: stored.alg,
        state: stored.state,
        liveTokens: usage?.live ?? 0,
        createdAt: stored.createdAt.toISOString(),
        activatedAt: stored.activatedAt?.toISOString() ?? null,
        retiredAt: stored.retiredAt?.toISOString() ?? null,
        changesAt: changesAt === null ? null : new Date(changesAt).toISOString(),
      };
    });
  }

  /** One pass of the lifecycle; safe on several instances at once (each step is atomic or idempotent). */
  async maintain(now: number): Promise<void> {
    await this.reload();
    const next = [...this.keys.values()].filter((k) => k.stored.state === "next").sort((a, b) => +a.stored.createdAt - +b.stored.createdAt);
    const due = next[0];
    if (due && due.stored.createdAt.getTime() + this.options.publishDelayMs <= now) {
      await this.store.activate(due.stored.kid, now);
      // Two instances rotating at once may both have published one: the later never signed anything.
      for (const extra of next.slice(1)) await this.store.remove(extra.stored.kid);
    }
    const current = this.current?.stored;
    if (this.options.rotationMs !== null && current && next.length === 0 && (current.activatedAt ?? current.createdAt).getTime() + this.options.rotationMs <= now) {
      await this.rotate(now);
    }
    this.usage = await this.store.usage(now);
    for (const { stored } of this.keys.values()) {
      if (stored.state === "retired" && (this.usage.get(stored.kid)?.lastExpiresAt ?? 0) <= now) await this.store.remove(stored.kid);
    }
    await this.reload();
  }

  async reload(): Promise<void> {
    const rows = await this.store.list();
    const keys = new Map<string, LoadedKey>();
    for (const stored of rows) {
      const loaded = this.keys.get(stored.kid);
      // A kid can come back with another secret (a Specter secret replaced once its tokens ended).
      const same = loaded !== undefined && loaded.stored.state === stored.state && loaded.stored.sealedKey === stored.sealedKey;
      keys.set(stored.kid, same ? loaded! : await this.load(stored));
    }
    this.keys = keys;
    this.current = [...keys.values()].find((k) => k.stored.state === "current");
    this.loadedAt = Date.now();
  }

  /** An HS256 secret sealed for the key row `kid` under the master secret: what an import stores. */
  sealSecret(kid: string, secret: string): string {
    return sealHs256(this.secret, kid, secret);
  }

  /** The HS256 secret of a stored key, opened. */
  openSecret(stored: Pick<StoredSigningKey, "kid" | "sealedKey">): string {
    return this.secret.open(stored.sealedKey, sealContext(stored.kid, "HS256")).toString("utf8");
  }

  private async load(stored: StoredSigningKey): Promise<LoadedKey> {
    const alg = stored.alg as VerificationKey["alg"];
    if (alg === "HS256") {
      const secret = this.openSecret(stored);
      if (stored.kid === SPECTER_KID) return { stored, verify: await specterKey(secret) };
      return { stored, verify: { kid: null, alg, key: await signingKey(secret) } };
    }
    const verify: VerificationKey = { kid: stored.kid, alg, key: importPublicJwk(JSON.parse(stored.publicJwk!) as JWK) };
    // Only keys that sign (or are about to) are opened: a retired key's private half is never needed.
    if (stored.state === "retired") return { stored, verify };
    const privateKey = importPrivateKey(this.secret.open(stored.sealedKey, sealContext(stored.kid, alg)));
    return { stored, verify, sign: { kid: stored.kid, alg, key: privateKey } };
  }
}
