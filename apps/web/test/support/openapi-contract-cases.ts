import http from "node:http";

/** Requests of the OpenAPI contract test (openapi-contract.test.ts): the routes, the bad requests, the feed's followers. */

export const headers = (auth?: string, extra: Record<string, string> = {}) => ({ ...(auth ? { authorization: auth } : {}), ...extra });
export const jsonBody = (auth: string | undefined, body: unknown, method = "POST") => ({
  method,
  headers: headers(auth, { "content-type": "application/json" }),
  body: typeof body === "string" ? body : JSON.stringify(body),
});

/** Each authenticated operation: how to reach it, and a request it refuses for a token without the endpoint. */
export const AUTHENTICATED = [
  { method: "GET", path: "/v1alpha/token/", wrongMethod: "PUT", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/token/", wrongMethod: "PUT", narrow: "selfOnly" },
  { method: "GET", path: "/v1alpha/token/self", wrongMethod: "PATCH", narrow: "listOnly" },
  { method: "DELETE", path: "/v1alpha/token/self", wrongMethod: "PATCH", narrow: "listOnly" },
  { method: "GET", path: "/v1alpha/token/{id}", wrongMethod: "POST", narrow: "selfOnly" },
  { method: "PATCH", path: "/v1alpha/token/{id}", wrongMethod: "POST", narrow: "selfOnly" },
  { method: "DELETE", path: "/v1alpha/token/{id}", wrongMethod: "POST", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/token/{id}/rotate", wrongMethod: "GET", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/token/{id}/pause", wrongMethod: "GET", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/token/{id}/resume", wrongMethod: "GET", narrow: "selfOnly" },
  { method: "GET", path: "/v1alpha/token/{id}/usage", wrongMethod: "POST", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/introspect", wrongMethod: "GET", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/revoke", wrongMethod: "GET", narrow: "selfOnly" },
  { method: "GET", path: "/v1alpha/webhooks/", wrongMethod: "PUT", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/webhooks/", wrongMethod: "PUT", narrow: "selfOnly" },
  { method: "GET", path: "/v1alpha/webhooks/{id}", wrongMethod: "POST", narrow: "selfOnly" },
  { method: "DELETE", path: "/v1alpha/webhooks/{id}", wrongMethod: "POST", narrow: "selfOnly" },
  { method: "GET", path: "/v1alpha/webhooks/{id}/deliveries", wrongMethod: "POST", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/webhooks/{id}/test", wrongMethod: "GET", narrow: "selfOnly" },
  { method: "GET", path: "/v1alpha/webhooks/{id}/deliveries/{deliveryId}", wrongMethod: "POST", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/webhooks/{id}/deliveries/{deliveryId}/redeliver", wrongMethod: "GET", narrow: "selfOnly" },
  { method: "GET", path: "/v1alpha/service-accounts/{name}/tokens", wrongMethod: "PUT", narrow: "selfOnly" },
  { method: "POST", path: "/v1alpha/service-accounts/{name}/tokens", wrongMethod: "PUT", narrow: "selfOnly" },
  { method: "GET", path: "/v1alpha/token-policies/effective", wrongMethod: "POST", narrow: "selfOnly" },
  { method: "GET", path: "/v1alpha/token-policies/violations", wrongMethod: "POST", narrow: "selfOnly" },
] as const;
/** A delivery id for routes that need one before it is looked up (auth, methods): any UUID. */
export const SOME_DELIVERY = "11111111-1111-4111-8111-111111111111";

type BadRequest = [method: string, documented: string, path: string, init: RequestInit, field: string];

/** One bad request per 400 the document names, with the field its errors must name. */
export function badRequests({ admin, concrete, webhookUrl }: { admin: string; concrete: (path: string) => string; webhookUrl: string }): BadRequest[] {
  return [
    ["POST", "/v1alpha/token/", "/v1alpha/token/", jsonBody(admin, "{not json"), "body"],
    ["POST", "/v1alpha/token/", "/v1alpha/token/", jsonBody(admin, ""), "body"],
    ["POST", "/v1alpha/token/", "/v1alpha/token/", jsonBody(admin, [1]), "body"],
    ["POST", "/v1alpha/token/", "/v1alpha/token/", jsonBody(admin, { jwt_token_life: "1 hour" }), "jwt_token_description"],
    ["POST", "/v1alpha/token/", "/v1alpha/token/", jsonBody(admin, { jwt_token_description: "x", jwt_token_life: "forever" }), "jwt_token_life"],
    ["POST", "/v1alpha/token/", "/v1alpha/token/", jsonBody(admin, { jwt_token_description: "x", jwt_token_life: "500 years" }), "jwt_token_life"],
    ["POST", "/v1alpha/token/", "/v1alpha/token/", jsonBody(admin, { jwt_token_description: "x".repeat(201), jwt_token_life: "1 hour" }), "jwt_token_description"],
    ["POST", "/v1alpha/token/", "/v1alpha/token/", jsonBody(admin, { jwt_token_description: "x", jwt_token_life: "1 hour", jwt_token_endpoints: ["FETCH /x"] }), "jwt_token_endpoints.0"],
    ["GET", "/v1alpha/token/self", "/v1alpha/token/self", { headers: headers(admin) }, "authorization"],
    ["DELETE", "/v1alpha/token/self", "/v1alpha/token/self", { headers: headers(admin) }, "authorization"],
    ["GET", "/v1alpha/token/{id}", "/v1alpha/token/not-a-uuid", { headers: headers(admin) }, "id"],
    ["GET", "/v1alpha/token/{id}", "/v1alpha/token/%E0%A4%A", { headers: headers(admin) }, "id"],
    ["DELETE", "/v1alpha/token/{id}", "/v1alpha/token/not-a-uuid", { headers: headers(admin) }, "id"],
    ["PATCH", "/v1alpha/token/{id}", "/v1alpha/token/not-a-uuid", jsonBody(admin, { jwt_token_description: "x" }, "PATCH"), "id"],
    ["PATCH", "/v1alpha/token/{id}", concrete("/v1alpha/token/{id}"), jsonBody(admin, { jwt_token_description: "" }, "PATCH"), "jwt_token_description"],
    ["GET", "/v1alpha/token/{id}/usage", "/v1alpha/token/not-a-uuid/usage", { headers: headers(admin) }, "id"],
    ["POST", "/v1alpha/token/{id}/rotate", "/v1alpha/token/not-a-uuid/rotate", { headers: headers(admin) }, "id"],
    ["POST", "/v1alpha/token/{id}/pause", "/v1alpha/token/not-a-uuid/pause", { headers: headers(admin) }, "id"],
    ["POST", "/v1alpha/token/{id}/resume", "/v1alpha/token/not-a-uuid/resume", { headers: headers(admin) }, "id"],
    ["POST", "/v1alpha/token/{id}/rotate", concrete("/v1alpha/token/{id}/rotate"), jsonBody(admin, { overlap: "soon" }), "overlap"],
    ["POST", "/v1alpha/token/{id}/rotate", concrete("/v1alpha/token/{id}/rotate"), jsonBody(admin, "[]"), "body"],
    ["POST", "/v1alpha/introspect", "/v1alpha/introspect", { method: "POST", headers: headers(admin, { "content-type": "application/x-www-form-urlencoded" }), body: "" }, "token"],
    ["POST", "/v1alpha/introspect", "/v1alpha/introspect", jsonBody(admin, "{oops"), "body"],
    ["POST", "/v1alpha/revoke", "/v1alpha/revoke", { method: "POST", headers: headers(admin, { "content-type": "application/x-www-form-urlencoded" }), body: "" }, "token"],
    ["POST", "/v1alpha/credentials/revoke", "/v1alpha/credentials/revoke", jsonBody(undefined, { credentials: [] }), "credentials"],
    ["POST", "/v1alpha/webhooks/", "/v1alpha/webhooks/", jsonBody(admin, { url: "ftp://example.com/", events: ["token.created"] }), "url"],
    ["POST", "/v1alpha/webhooks/", "/v1alpha/webhooks/", jsonBody(admin, { url: webhookUrl, events: ["token.nope"] }), "events.0"],
    ["POST", "/v1alpha/webhooks/", "/v1alpha/webhooks/", jsonBody(admin, "[]"), "body"],
    ["GET", "/v1alpha/webhooks/{id}", "/v1alpha/webhooks/not-a-uuid", { headers: headers(admin) }, "id"],
    ["DELETE", "/v1alpha/webhooks/{id}", "/v1alpha/webhooks/not-a-uuid", { headers: headers(admin) }, "id"],
    ["GET", "/v1alpha/webhooks/{id}/deliveries", "/v1alpha/webhooks/not-a-uuid/deliveries", { headers: headers(admin) }, "id"],
    ["POST", "/v1alpha/webhooks/{id}/test", "/v1alpha/webhooks/%E0%A4%A/test", { headers: headers(admin) }, "id"],
    ["GET", "/v1alpha/webhooks/{id}/deliveries/{deliveryId}", concrete("/v1alpha/webhooks/{id}/deliveries/not-a-uuid"), { headers: headers(admin) }, "deliveryId"],
    ["POST", "/v1alpha/webhooks/{id}/deliveries/{deliveryId}/redeliver", "/v1alpha/webhooks/not-a-uuid/deliveries/x/redeliver", { headers: headers(admin) }, "id"],
    ["GET", "/v1alpha/service-accounts/{name}/tokens", "/v1alpha/service-accounts/no%20such/tokens", { headers: headers(admin) }, "id"],
    ["POST", "/v1alpha/service-accounts/{name}/tokens", concrete("/v1alpha/service-accounts/{name}/tokens"), jsonBody(admin, { jwt_token_description: "x", jwt_token_life: "forever" }), "jwt_token_life"],
    ["GET", "/v1alpha/token-policies/effective", "/v1alpha/token-policies/effective?account=a%00b", { headers: headers(admin) }, "account"],
    ["GET", "/v1alpha/token-policies/violations", "/v1alpha/token-policies/violations?limit=0", { headers: headers(admin) }, "limit"],
  ];
}

/** Opens `count` followers of the revocation feed from `address` and waits until each is answered 200. */
export async function openFollowers(url: string, feedHeaders: Record<string, string>, count: number, address: string): Promise<http.ClientRequest[]> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const open = () =>
    new Promise<http.ClientRequest>((resolve, reject) => {
      const req = http.get(url, { agent, headers: { ...feedHeaders, "x-forwarded-for": address } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`follower got ${res.statusCode}`));
        res.resume();
        resolve(req);
      });
      req.on("error", reject);
    });
  return Promise.all(Array.from({ length: count }, open));
}
