import * as oauth from "oauth4webapi";

export type DpopCall = { status: number; challenge?: oauth.WWWAuthenticateChallenge };

/**
 * One request by oauth4webapi's DPoP handle (as its docs show), through a proxy on plain HTTP on
 * loopback (production is HTTPS); customFetch may change it in flight. A WWW-Authenticate
 * challenge the library rejects with is returned, parsed.
 */
export async function dpopThroughProxy(
  token: string,
  method: string,
  url: string,
  key: CryptoKeyPair,
  fetch?: oauth.CustomFetch,
): Promise<DpopCall> {
  try {
    const response = await oauth.protectedResourceRequest(token, method, new URL(url), new Headers(), null, {
      DPoP: oauth.DPoP({ client_id: "proxy-tests" }, key),
      [oauth.allowInsecureRequests]: true,
      ...(fetch ? { [oauth.customFetch]: fetch } : {}),
    });
    return { status: response.status };
  } catch (error) {
    if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
    return { status: error.status, challenge: error.cause[0] };
  }
}
