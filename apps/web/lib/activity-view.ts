/** The Activity page's filters as they live in its URL (?action=&user=&token=). */
export interface ActivityView {
  action: string;
  user: string;
  token: string;
}

export const EVENT_LABELS: Record<string, string> = {
  "token.create": "Token created",
  "token.rotate": "Token rotated",
  "token.revoke": "Token revoked",
  "token.reuse_detected": "Reuse detected: family revoked",
  "auth.login_success": "Signed in",
  "auth.login_failure": "Sign-in failed",
  "user.create": "User created",
  "user.delete": "User deleted",
  "user.password_reset": "Password reset",
  "user.import": "User imported from Specter",
  "token.import": "Token imported from Specter",
  "user.introspection": "Introspection changed",
  "user.rename": "Renamed (name taken in another case)",
  "key.rotate": "Signing key rotated",
  "webhook.create": "Webhook added",
  "webhook.delete": "Webhook deleted",
};

/** An event's label; a token revoked because someone reported it leaked says so. */
export function eventLabel(event: { action: string; detail: Record<string, unknown> | null }): string {
  if (event.action === "token.revoke" && event.detail?.reason === "leaked") return "Token revoked: reported leaked";
  return EVENT_LABELS[event.action] ?? event.action;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isTokenId = (value: string) => UUID.test(value);

export function activityViewFromParams(params: URLSearchParams): ActivityView {
  const action = params.get("action") ?? "";
  return {
    action: action in EVENT_LABELS ? action : "",
    user: (params.get("user") ?? "").slice(0, 100),
    token: (params.get("token") ?? "").trim().slice(0, 36),
  };
}

export function paramsFromActivityView(view: ActivityView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.action) params.set("action", view.action);
  if (view.user.trim()) params.set("user", view.user.trim());
  if (view.token.trim()) params.set("token", view.token.trim());
  return params;
}

/** audit.list's filters; a token that is not a whole id is not sent (the field says why). */
export function activityInput(view: ActivityView) {
  return {
    limit: 25,
    action: view.action || undefined,
    username: view.user.trim() || undefined,
    tokenId: isTokenId(view.token) ? view.token.toLowerCase() : undefined,
  };
}
