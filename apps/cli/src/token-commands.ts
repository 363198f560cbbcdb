import type { createCaller } from "@tokensmith/api";
import { TRPCError } from "@trpc/server";
import { table } from "./table.js";

type Api = ReturnType<typeof createCaller>;
type Listed = Awaited<ReturnType<Api["admin"]["tokens"]>>[number];

export const TOKEN_STATES = ["active", "inactive", "valid", "expiring", "expired", "revoked", "all"] as const;
export type TokenListState = (typeof TOKEN_STATES)[number];

/** A token's state as the list shows it; "retiring" when a rotation's overlap is running. */
const stateOf = (t: Listed) => (t.state !== "revoked" && t.retiresAt !== null && Date.parse(t.retiresAt) > Date.now() ? `${t.state} (retiring)` : t.state);

/** Every token (of one user, or all) in a state, newest first; the state names are the API's. */
export async function listTokens(api: Api, username: string | undefined, state: TokenListState): Promise<string> {
  const tokens = await api.admin.tokens({ username, state });
  if (tokens.length === 0) return state === "all" ? "No tokens." : `No ${state} tokens.`;
  return table(
    ["ID", "USER", "STATE", "EXPIRES", "USES LEFT", "DESCRIPTION"],
    // Uses left of use-limited tokens as "left/max"; "-" for no limit.
    tokens.map((t) => [t.id, t.username, stateOf(t), t.expiresAt, t.maxUses === null ? "-" : `${t.usesLeft}/${t.maxUses}`, t.description]),
  );
}

const fail = (message: string) => new TRPCError({ code: "BAD_REQUEST", message });

/**
 * The token an id names: a whole id, or its start — the 8 characters the dashboard shows are
 * enough. A start that several tokens share is refused, naming them.
 */
export async function resolveToken(api: Api, given: string): Promise<Listed> {
  const matches = await api.admin.tokensByIdPrefix({ prefix: given });
  if (matches.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: `No token's id starts with "${given}"` });
  if (matches.length > 1) {
    const listed = matches.map((t) => `  ${t.id}  ${t.username}  ${t.description}`).join("\n");
    throw fail(`"${given}" is the start of ${matches.length === 10 ? "10 or more" : matches.length} tokens' ids; give more of the id:\n${listed}`);
  }
  return matches[0]!;
}

/** Revokes the token an id (or its start) names; one already revoked or expired says so. */
export async function revokeTokenCommand(api: Api, given: string): Promise<string> {
  const token = await resolveToken(api, given);
  if (token.state === "revoked") throw fail(`Token ${token.id} (${token.description}) was already revoked, at ${token.retiresAt}`);
  if (token.state === "expired") throw fail(`Token ${token.id} (${token.description}) already expired, at ${token.expiresAt}: there is nothing to revoke`);
  const { revoked } = await api.admin.revokeToken({ id: token.id });
  const more = revoked > 1 ? `, and ${revoked - 1} token(s) it created` : "";
  return `Revoked token ${token.id} (${token.description}) of ${token.username}${more}.`;
}

/** Pauses or resumes the token an id (or its start) names, with the tokens it created. */
export async function pauseTokenCommand(api: Api, given: string, change: "pause" | "resume"): Promise<string> {
  const token = await resolveToken(api, given);
  if (token.state === "revoked" || token.state === "expired") throw fail(`Token ${token.id} (${token.description}) is ${token.state}: there is nothing to ${change}`);
  const view = await (change === "pause" ? api.admin.pauseToken : api.admin.resumeToken)({ id: token.id });
  return `${change === "pause" ? "Paused" : "Resumed"} token ${view.id} (${view.description}) of ${token.username}.`;
}
