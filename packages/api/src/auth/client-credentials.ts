/**
 * How an OAuth client authenticates to the introspection and revocation endpoints (RFC 6749
 * §2.3.1, RFC 7662 §2.1, RFC 7009 §2.1): a Tokensmith user's name and password, as its client id
 * and secret, either in HTTP Basic (client_secret_basic) or in the form body (client_secret_post).
 * The password check and its guess limits are the same as for any HTTP Basic request.
 */
export interface ClientCredentials {
  /** The name, as the client meant it (form-decoded). */
  username: string;
  /**
   * The secrets to try, in order, within ONE counted attempt: the form-decoded one, then, when it
   * differs, the bytes as sent (a client such as `curl -u` that did not encode). Never two guesses
   * the caller chose freely: the second is what the first looks like undecoded.
   */
  secrets: string[];
}

/** application/x-www-form-urlencoded decoding ('+' is a space); null when the escapes are broken. */
export function formDecode(value: string): string | null {
  if (!value.includes("%") && !value.includes("+")) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/** A Basic credential's `name:secret`, split at the first colon (RFC 7617); null without a name. */
export function splitBasic(encoded: string): { name: string; secret: string } | null {
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon <= 0 ? null : { name: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * client_secret_basic: RFC 6749 §2.3.1 has the client form-encode its id and secret before Base64
 * (oauth4webapi and openid-client do). Read that way first; the secret as sent is the fallback.
 */
export function basicClient(encoded: string): ClientCredentials | null {
  const split = splitBasic(encoded);
  if (split === null) return null;
  const username = formDecode(split.name) ?? split.name;
  const decoded = formDecode(split.secret);
  const secrets = decoded === null || decoded === split.secret ? [split.secret] : [decoded, split.secret];
  return { username, secrets };
}
