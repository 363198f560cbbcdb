import { specterDigest, type SpecterPassword } from "@tokensmith/core";
import { tokenId } from "../routers/token/token.schema.js";

/** Larger than any Specter installation's users.json; a bigger file is refused before it is read. */
export const MAX_USERS_FILE_BYTES = 32 * 1024 * 1024;
const MAX_USERS = 10_000;
const MAX_TOKENS = 100_000;
const MAX_TEXT = 200;

/** A users.json that cannot be read whole: nothing is imported, and this says why, in words. */
export class SpecterFileError extends Error {}

export interface SpecterToken {
  /** Where it is in the file, for messages: users[1].jwt_tokens["…"]. */
  at: string;
  id: string;
  jwt: string;
  description: string;
}

export interface SpecterUser {
  at: string;
  id: string;
  username: string;
  isAdmin: boolean;
  password: SpecterPassword;
  tokens: SpecterToken[];
}

/** A name as it can be shown on a terminal: quoted, control characters escaped. */
export const quoted = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

const CONTROL = /[\u0000-\u001f\u007f]/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function text(value: unknown, at: string): string {
  if (typeof value !== "string" || value === "") throw new SpecterFileError(`${at} must be a non-empty string`);
  if (value.length > MAX_TEXT) throw new SpecterFileError(`${at} is longer than ${MAX_TEXT} characters`);
  if (CONTROL.test(value)) throw new SpecterFileError(`${at} ${quoted(value)} contains control characters`);
  return value;
}

/** A description we can store (one line, at most 200 characters); Specter kept any string. */
function description(value: unknown): string {
  const line = (typeof value === "string" ? value : "").replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  const cut = line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
  return cut === "" ? "(imported from Specter)" : cut;
}

function password(value: unknown, at: string): SpecterPassword {
  if (!isObject(value)) throw new SpecterFileError(`${at} must be Specter's {"salt", "pwdhash"}`);
  const salt = text(value.salt, `${at}.salt`);
  if (typeof value.pwdhash !== "string" || !specterDigest({ salt, pwdhash: value.pwdhash })) {
    throw new SpecterFileError(`${at}.pwdhash is not a Specter password hash (the base64 of 32 bytes)`);
  }
  return { salt, pwdhash: value.pwdhash };
}

function tokens(value: unknown, at: string): SpecterToken[] {
  // Specter reads a missing or emptied container as no tokens.
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return [];
  if (!isObject(value)) throw new SpecterFileError(`${at} must be an object of tokens by id`);
  return Object.entries(value).map(([id, entry]) => {
    const where = `${at}[${quoted(id)}]`;
    if (!tokenId.safeParse(id).success) throw new SpecterFileError(`${where}: the id is not a UUID, which Specter always makes`);
    if (!isObject(entry) || typeof entry.jwt_token !== "string") throw new SpecterFileError(`${where} must hold the token as "jwt_token"`);
    return { at: where, id, jwt: entry.jwt_token, description: description(entry.jwt_token_description) };
  });
}

/**
 * Specter Desktop's users.json (a list of User.json objects: id, username, password, is_admin,
 * jwt_tokens, …), read whole and checked, or refused with the first thing wrong. Fields Specter
 * keeps for itself (config, services, the encrypted user secret) are not looked at.
 */
export function readSpecterUsers(json: string): SpecterUser[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new SpecterFileError(`is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new SpecterFileError("must be a list of users, as Specter writes users.json");
  if (parsed.length > MAX_USERS) throw new SpecterFileError(`holds more than ${MAX_USERS} users`);
  const ids = new Set<string>();
  const names = new Set<string>();
  const tokenIds = new Set<string>();
  return parsed.map((raw, i) => {
    const at = `users[${i}]`;
    if (!isObject(raw)) throw new SpecterFileError(`${at} must be an object`);
    const id = text(raw.id, `${at}.id`);
    const username = text(raw.username, `${at}.username`);
    if (ids.has(id)) throw new SpecterFileError(`${at}.id ${quoted(id)} appears twice`);
    if (names.has(username.toLowerCase())) throw new SpecterFileError(`${at}.username ${quoted(username)} appears twice (letter case aside)`);
    ids.add(id);
    names.add(username.toLowerCase());
    if (typeof raw.is_admin !== "boolean") throw new SpecterFileError(`${at}.is_admin must be true or false`);
    const user = { at, id, username, isAdmin: raw.is_admin, password: password(raw.password, `${at}.password`), tokens: tokens(raw.jwt_tokens, `${at}.jwt_tokens`) };
    for (const token of user.tokens) {
      if (tokenIds.has(token.id)) throw new SpecterFileError(`${token.at}: the token id appears twice in the file`);
      tokenIds.add(token.id);
      if (tokenIds.size > MAX_TOKENS) throw new SpecterFileError(`holds more than ${MAX_TOKENS} tokens`);
    }
    return user;
  });
}
