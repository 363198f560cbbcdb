import { DEFAULT_DPOP_WINDOW_SECONDS, JWT_PROFILES, parseAudience, type JwtProfile } from "@tokensmith/core";

/** DEFAULT_AUDIENCE, JWT_PROFILE and DPOP_PROOF_WINDOW: how tokens are shaped and proven (see docs/reference/configuration.md). */
export interface TokenShapeSettings {
  /** The audiences of a token that names none; null (unset): such a token has no `aud`. */
  defaultAudience: string[] | null;
  /** "tokensmith" (the default) or "rfc9068": RFC 9068's `typ: at+jwt` and `client_id`. */
  jwtProfile: JwtProfile;
  /** DPOP_PROOF_WINDOW: how far (seconds) a DPoP proof's iat may be from our clock, either way; proofs are remembered that long. */
  dpopWindowSeconds: number;
}

export function tokenShapeSettingsFrom(env: Record<string, string | undefined>, fail: (message: string) => Error): TokenShapeSettings {
  const audienceText = env.DEFAULT_AUDIENCE?.trim() ?? "";
  let defaultAudience: string[] | null = null;
  if (audienceText !== "") {
    // Several are separated by spaces: an audience (a URI) never holds one.
    const parsed = parseAudience(audienceText.split(/\s+/));
    if (!parsed.ok) throw fail(`DEFAULT_AUDIENCE "${audienceText.slice(0, 300)}": ${parsed.message}`);
    defaultAudience = parsed.audience;
  }
  const profileText = env.JWT_PROFILE?.trim().toLowerCase() || "tokensmith";
  const jwtProfile = JWT_PROFILES.find((profile) => profile === profileText);
  if (!jwtProfile) throw fail(`JWT_PROFILE "${env.JWT_PROFILE}" must be tokensmith (the default) or rfc9068`);
  // RFC 9068 §2.2 requires aud in every token; without a default, a token that names none would lack it.
  if (jwtProfile === "rfc9068" && defaultAudience === null) {
    throw fail("JWT_PROFILE=rfc9068 needs DEFAULT_AUDIENCE: RFC 9068 requires every token to name an audience (aud), and DEFAULT_AUDIENCE is what a token that names none gets");
  }
  const windowText = env.DPOP_PROOF_WINDOW?.trim() ?? "";
  const dpopWindowSeconds = windowText === "" ? DEFAULT_DPOP_WINDOW_SECONDS : Number(windowText);
  // Longer lets a captured proof (and its replay record) live longer; shorter refuses honest clients with a skewed clock.
  if (!Number.isInteger(dpopWindowSeconds) || dpopWindowSeconds < 5 || dpopWindowSeconds > 600) {
    throw fail(`DPOP_PROOF_WINDOW "${env.DPOP_PROOF_WINDOW}" must be a whole number of seconds from 5 to 600`);
  }
  return { defaultAudience, jwtProfile, dpopWindowSeconds };
}
