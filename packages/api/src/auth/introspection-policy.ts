import type { TokenAuthRecord } from "@tokensmith/db";
import type { BearerUse } from "./bearer.js";

/**
 * Whoever asks about a token: today a signed-in caller (its password, its session, or one of its
 * tokens allowed to POST /v1alpha/introspect); the same shape fits a client that authenticates
 * itself to the introspection endpoint, or asks for a revocation.
 */
export interface Introspector {
  userId: string;
  isAdmin: boolean;
  /** Granted by an administrator (`tokensmith user introspect NAME any`, user.setIntrospection). */
  introspectAny?: boolean;
}

/**
 * A resource server serving every user: an administrator, or a user an administrator let
 * introspect any token. It may learn about any token, and its word for where a token was presented
 * (client_ip) is recorded as the token's last use.
 */
export const introspectsAnyToken = (who: Introspector): boolean => who.isAdmin || who.introspectAny === true;

/** May `who` learn about a token of `ownerId`? Its own tokens, always; anyone's, as above. */
export const mayIntrospect = (who: Introspector, ownerId: string): boolean => who.userId === ownerId || introspectsAnyToken(who);

/**
 * How the shared Bearer check runs for `who`: a token it may not learn about is inactive before
 * anything is counted, rate-limited or revoked for reuse (as if unknown); the client_ip it sends
 * decides the token's allowlist either way (its own answer is all it affects), and is recorded as
 * where the token was last used only from a caller trusted with any token — else the use is
 * recorded from an unknown address. A DPoP-bound token is reported with its `cnf`: the proof went
 * to the resource server, which checks it against `cnf.jkt` (RFC 9449 §6.2).
 */
export function introspectionUse(who: Introspector): BearerUse {
  return { permits: (record: TokenAuthRecord) => mayIntrospect(who, record.userId), recordsAddress: introspectsAnyToken(who), proofCheckedByCaller: true };
}
