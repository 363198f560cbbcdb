import { randomUUID } from "node:crypto";
import { isSpecterPassword, NO_PASSWORD_HASH, USERNAME_PATTERN, USERNAME_RULE, wrapSpecterPassword } from "@tokensmith/core";
import { inForceWhere, type AuditRow, type NewToken } from "@tokensmith/db";
import type { Services } from "../context/index.js";
import { unknownRequest, type RequestMeta } from "../context/request-meta.js";
import { auditRow } from "../audit/record.js";
import { SPECTER_KID, specterKey } from "../keys/bootstrap.js";
import { quoted, readSpecterUsers, SpecterFileError, type SpecterUser } from "./specter-file.js";
import { checkSpecterToken } from "./specter-tokens.js";

export { SpecterFileError, MAX_USERS_FILE_BYTES } from "./specter-file.js";

export interface SpecterImportInput {
  /** The text of Specter's users.json. */
  usersJson: string;
  /** The SECRET_KEY Specter signed its tokens with. */
  secret: string;
  /** Specter username → the Tokensmith username it gets (for names taken here, or not allowed here). */
  renames?: Map<string, string>;
}

export interface SpecterImportReport {
  /** "alice", "admin (administrator)", with notes. */
  importedUsers: string[];
  /** Imported by an earlier run (perhaps deleted since): left as they are. */
  earlierUsers: string[];
  importedTokens: number;
  earlierTokens: number;
  /** Tokens not imported, and why (expired, not Specter's, filed under the wrong user…). */
  skippedTokens: string[];
  notes: string[];
}

const SPECTER_DEFAULT_PASSWORD = "admin";
const userKey = (user: SpecterUser) => `user:${user.id}`;
const tokenKey = (id: string) => `token:${id}`;
const CHUNK = 500;

/** `work` over `items`, `width` at a time (scrypt runs on libuv's four threads). */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return out;
}

const CHANGED_MEANWHILE = "the database changed while importing (another import ran, or a user of that name was created): run it again";

/**
 * `tokensmith import specter`: Specter Desktop's users and their live tokens, all in one
 * transaction or nothing. Users keep their passwords (Specter's PBKDF2, kept wrapped in scrypt and
 * replaced by ours at their next sign-in); tokens keep working over Bearer until they expire, by
 * the SHA-256 stored for each and Specter's secret sealed under the master secret. Idempotent:
 * what an earlier run imported (SpecterImport) is never imported again, even if deleted since.
 */
export async function importSpecter(services: Services, from: Partial<RequestMeta>, input: SpecterImportInput): Promise<SpecterImportReport> {
  const { db } = services;
  const request = unknownRequest(from);
  const now = Date.now();
  const users = readSpecterUsers(input.usersJson);
  if (input.secret === "") throw new SpecterFileError("The secret file is empty");
  const renames = input.renames ?? new Map<string, string>();
  for (const from of renames.keys()) {
    if (!users.some((u) => u.username === from)) throw new SpecterFileError(`--rename ${quoted(from)}: no Specter user has that name`);
  }
  const report: SpecterImportReport = { importedUsers: [], earlierUsers: [], importedTokens: 0, earlierTokens: 0, skippedTokens: [], notes: [] };

  const markers = new Map((await db.specterImport.findMany()).map((m) => [m.key, m.targetId]));
  // Markers are only ever added. A clash found by a later read (a user's name, a token's id) may be
  // another import committed since the markers were read: no clash then, and --rename would import
  // the user twice.
  const refuseIfImportedMeanwhile = async () => {
    if ((await db.specterImport.count()) !== markers.size) throw new SpecterFileError(CHANGED_MEANWHILE);
  };
  const existing = await db.user.findMany({ select: { id: true, username: true } });
  const byName = new Map(existing.map((u) => [u.username.toLowerCase(), u]));
  const existingIds = new Set(existing.map((u) => u.id));
  const taken = new Set<string>();

  // Who is new, who came before; every name checked before anything is hashed or written.
  const plans: { user: SpecterUser; userId: string; username: string; isNew: boolean }[] = [];
  for (const user of users) {
    const earlier = markers.get(userKey(user));
    if (earlier !== undefined) {
      const still = existingIds.has(earlier);
      report.earlierUsers.push(`${user.username}${still ? "" : " (deleted since: its tokens are not imported again)"}`);
      if (still) plans.push({ user, userId: earlier, username: existing.find((u) => u.id === earlier)!.username, isNew: false });
      continue;
    }
    const username = renames.get(user.username) ?? user.username;
    if (!USERNAME_PATTERN.test(username)) {
      throw new SpecterFileError(`${user.at}.username ${quoted(username)} is not a Tokensmith username (${USERNAME_RULE}): give it one with --rename ${quoted(user.username)}=NEW_NAME`);
    }
    if (byName.has(username.toLowerCase()) || taken.has(username.toLowerCase())) {
      await refuseIfImportedMeanwhile();
      throw new SpecterFileError(`Specter user ${quoted(user.username)} has the name of a Tokensmith user already: import it under another one with --rename ${quoted(user.username)}=NEW_NAME`);
    }
    taken.add(username.toLowerCase());
    plans.push({ user, userId: randomUUID(), username, isNew: true });
  }

  // Tokens: only what Specter itself still accepts, and nothing whose id this database has seen.
  const key = await specterKey(input.secret);
  const maxExpiresAt = now + services.config.maxTokenLifeSeconds * 1000;
  const candidates = plans.flatMap((p) => p.user.tokens.filter((t) => !markers.has(tokenKey(t.id))).map((t) => ({ plan: p, token: t })));
  report.earlierTokens = plans.reduce((n, p) => n + p.user.tokens.filter((t) => markers.has(tokenKey(t.id))).length, 0);
  const clashes = new Set<string>();
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const ids = candidates.slice(i, i + CHUNK).map((c) => c.token.id);
    for (const row of await db.accessToken.findMany({ where: { id: { in: ids } }, select: { id: true } })) clashes.add(row.id);
  }
  if (clashes.size > 0) await refuseIfImportedMeanwhile();
  if (clashes.size > 0) throw new SpecterFileError(`token id ${[...clashes][0]} is already the id of a Tokensmith token that was not imported from Specter`);
  const rows: { row: NewToken; username: string }[] = [];
  let clamped = 0;
  for (const { plan, token } of candidates) {
    const checked = await checkSpecterToken(token, { specterUsername: plan.user.username, userId: plan.userId }, key, now, maxExpiresAt);
    if (!checked.ok) report.skippedTokens.push(`${plan.user.username}: ${quoted(token.description)} (${token.id}) ${checked.reason}`);
    else {
      rows.push({ row: checked.row, username: plan.username });
      if (checked.clamped) clamped++;
    }
  }
  if (clamped > 0) report.notes.push(`${clamped} token(s) outlive MAX_TOKEN_LIFE from now: they stop working then.`);

  const sealedKey = rows.length > 0 ? await keyRow(services, input.secret, now) : null;
  const newUsers = plans.filter((p) => p.isNew);
  const hashes = await inBatches(newUsers, 4, async (p) =>
    (await isSpecterPassword(SPECTER_DEFAULT_PASSWORD, p.user.password)) ? NO_PASSWORD_HASH : wrapSpecterPassword(p.user.password),
  );

  const audit: AuditRow[] = [];
  newUsers.forEach((p, i) => {
    const carried = hashes[i] !== NO_PASSWORD_HASH;
    audit.push(auditRow({ request }, { action: "user.import", userId: p.userId, username: p.username, detail: { from: "specter", specterId: p.user.id, specterUsername: p.user.username, isAdmin: p.user.isAdmin, passwordCarried: carried } }));
    report.importedUsers.push(`${p.username}${p.user.isAdmin ? " (administrator)" : ""}${p.username !== p.user.username ? ` (Specter's ${quoted(p.user.username)})` : ""}`);
    if (!carried) {
      report.notes.push(`${p.username} still had Specter's default password "admin": it was not carried over. An administrator must set one (dashboard → Users); the user's tokens work meanwhile.`);
    }
  });
  for (const { row, username } of rows) {
    audit.push(auditRow({ request }, { action: "token.import", userId: row.userId, username, tokenId: row.id, detail: { from: "specter", description: row.description, expiresAt: new Date(row.expiresAt).toISOString() } }));
  }
  const importedAt = new Date(now);
  const newMarkers = [
    ...newUsers.map((p) => ({ key: userKey(p.user), targetId: p.userId, importedAt })),
    ...rows.map(({ row }) => ({ key: tokenKey(row.id), targetId: row.id, importedAt })),
  ];

  const write = db.$transaction(
    async (tx) => {
      // Another import may have run meanwhile: the markers' primary key refuses a second copy below.
      if (sealedKey?.replace) await tx.signingKey.delete({ where: { kid: SPECTER_KID } });
      if (sealedKey?.insert) await tx.signingKey.create({ data: { kid: SPECTER_KID, alg: "HS256", state: "retired", publicJwk: null, sealedKey: sealedKey.sealed, retiredAt: importedAt } });
      for (let i = 0; i < newUsers.length; i += CHUNK) {
        await tx.user.createMany({ data: newUsers.slice(i, i + CHUNK).map((p, j) => ({ id: p.userId, username: p.username, passwordHash: hashes[i + j]!, isAdmin: p.user.isAdmin })) });
      }
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx.accessToken.createMany({ data: rows.slice(i, i + CHUNK).map(({ row }) => ({ ...row, createdAt: new Date(row.createdAt), expiresAt: new Date(row.expiresAt) })) });
      }
      for (let i = 0; i < newMarkers.length; i += CHUNK) await tx.specterImport.createMany({ data: newMarkers.slice(i, i + CHUNK) });
      for (let i = 0; i < audit.length; i += CHUNK) await tx.auditEvent.createMany({ data: audit.slice(i, i + CHUNK) });
    },
    { maxWait: 10_000, timeout: 300_000 },
  );
  try {
    await write;
  } catch (error) {
    // A unique key taken between the checks above and this write: another import, or a user created meanwhile.
    if ((error as { code?: unknown }).code === "P2002") {
      throw new SpecterFileError(CHANGED_MEANWHILE);
    }
    throw error;
  }
  services.tokens.invalidate();
  report.importedTokens = rows.length;
  return report;
}

/**
 * The key row for Specter's secret: reused when this secret is there already; replaced when another
 * Specter secret is there with no live token left; refused while that one still verifies tokens.
 */
async function keyRow(services: Services, secret: string, now: number): Promise<{ sealed: string; insert: boolean; replace: boolean }> {
  const stored = await services.db.signingKey.findUnique({ where: { kid: SPECTER_KID } });
  const sealed = services.keys.sealSecret(SPECTER_KID, secret);
  if (!stored) return { sealed, insert: true, replace: false };
  if (services.keys.openSecret(stored) === secret) return { sealed: stored.sealedKey, insert: false, replace: false };
  const live = await services.db.accessToken.count({ where: { signingKeyId: SPECTER_KID, expiresAt: { gt: new Date(now) }, ...inForceWhere(new Date(now)) } });
  if (live > 0) {
    throw new SpecterFileError(`This database already holds another Specter secret, which ${live} imported token(s) still need: import with that secret, or once they have expired`);
  }
  return { sealed, insert: true, replace: true };
}
