import type { createCaller } from "@tokensmith/api";
import { listTokens, pauseTokenCommand, revokeTokenCommand, TOKEN_STATES, type TokenListState } from "./token-commands.js";
import { table, UsageError } from "./table.js";
import { ACCOUNT_USAGE, runAccountCommand } from "./account-commands.js";
import { POLICY_USAGE, runPolicyCommand } from "./policy-commands.js";

type Api = ReturnType<typeof createCaller>;

export { UsageError };

export const USAGE = `Usage: tokensmith <command>

  user add NAME [--admin]     create a user; the password is read from standard input
  user list                   list users
  user remove NAME            delete a user and revoke all of their tokens
  user introspect NAME any|own  let a user (a resource server's account) introspect any user's
                              tokens, or only its own (the default; administrators: any)
  user reset-password NAME    give a user a new password (read from standard input) and end
                              their sessions: also the way back in when an admin password is lost
${ACCOUNT_USAGE}
${POLICY_USAGE}
  token list [--user NAME] [--state STATE]
                              list tokens with their state, newest first; STATE: active (the
                              default: valid or expiring), inactive, valid, expiring, expired,
                              revoked, all
  token revoke ID             revoke a token and every token it created; ID may be the start of
                              the id (the 8 characters the dashboard shows)
  token pause ID              refuse a token (and the tokens it created) everywhere until resumed
  token resume ID             let a paused token work again
  keys list                   signing keys: kid, algorithm, state, live tokens
  keys rotate                 publish a new signing key; it signs after the publish delay
  backup FILE [--force]       copy the SQLite database to FILE, even while the server runs
  restore FILE                replace the SQLite database with the backup FILE (stop the server first)
  import specter --users FILE --secret-file FILE [--rename NAME=NEW]...
                              import Specter Desktop's users.json, with the SECRET_KEY its tokens
                              were signed with: users keep their passwords, live tokens keep working

Works on the database named by DATABASE_URL (default: data/tokensmith.db in the repository),
the same file the server uses; changes take effect on the server's next request. A backup's
signing keys open only with the master secret (TOKENSMITH_SECRET or its file): keep it too.
On PostgreSQL, back up with pg_dump and restore with pg_restore.`;

function changeOf(key: { state: string; changesAt: string | null }): string {
  if (key.changesAt === null) return "-";
  return key.state === "next" ? `signs from ${key.changesAt}` : `dropped after ${key.changesAt}`;
}

export interface Io {
  readPassword(): Promise<string>;
}

/** Runs one command through the same procedures the API uses; returns what to print. */
export async function run(api: Api, args: string[], io: Io): Promise<string> {
  const [group, action, ...rest] = args;
  const flag = (name: string) => rest.includes(name);
  const option = (name: string) => {
    const at = rest.indexOf(name);
    if (at === -1) return undefined;
    const value = rest[at + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${name} needs a value`);
    return value;
  };
  const positional = rest.filter((arg, i) => !arg.startsWith("--") && !(i > 0 && (rest[i - 1] === "--user" || rest[i - 1] === "--state")));
  const one = (what: string) => {
    if (positional.length !== 1) throw new UsageError(`${group} ${action} takes exactly one ${what}`);
    return positional[0]!;
  };

  switch (`${group} ${action}`) {
    case "user add": {
      const username = one("NAME");
      const password = await io.readPassword();
      const user = await api.user.create({ username, password, isAdmin: flag("--admin") });
      return `Created ${user.isAdmin ? "admin " : ""}user "${user.username}".`;
    }
    case "user list": {
      const users = await api.user.list();
      return table(
        ["USERNAME", "ADMIN", "INTROSPECTS", "TOKENS", "CREATED"],
        users.map((u) => [u.accountType === "service" ? `${u.username} (service account)` : u.username, u.isAdmin ? "yes" : "no", u.introspect, String(u.activeTokens), u.createdAt]),
      );
    }
    case "user remove": {
      const removed = await api.user.remove({ username: one("NAME") });
      return `Deleted user "${removed.username}" and revoked ${removed.tokensRevoked} token(s).`;
    }
    case "user introspect": {
      const [username, scope] = positional;
      if (positional.length !== 2 || (scope !== "any" && scope !== "own")) throw new UsageError("user introspect takes a NAME and any or own");
      const granted = await api.user.setIntrospection({ username: username!, introspect: scope });
      return granted.introspect === "any"
        ? `User "${granted.username}" may introspect any user's tokens.`
        : `User "${granted.username}" may introspect its own tokens only.`;
    }
    case "user reset-password": {
      const username = one("NAME");
      const password = await io.readPassword();
      const reset = await api.user.resetPassword({ username, password });
      return `New password set for "${reset.username}"; their dashboard sessions have ended (their tokens still work).`;
    }
    case "token list": {
      const state = option("--state") ?? "active";
      if (!TOKEN_STATES.includes(state as TokenListState)) throw new UsageError(`--state must be one of ${TOKEN_STATES.join(", ")}`);
      return listTokens(api, option("--user"), state as TokenListState);
    }
    case "token revoke":
      return revokeTokenCommand(api, one("ID"));
    case "token pause":
    case "token resume":
      return pauseTokenCommand(api, one("ID"), action === "pause" ? "pause" : "resume");
    case "keys list": {
      const keys = await api.keys.list();
      return table(
        ["KID", "ALG", "STATE", "LIVE TOKENS", "CREATED", "NEXT CHANGE"],
        keys.map((k) => [k.kid, k.alg, k.state, String(k.liveTokens), k.createdAt, changeOf(k)]),
      );
    }
    case "keys rotate": {
      const next = await api.keys.rotate();
      return `Published key ${next.kid} (${next.alg}); it signs new tokens from ${next.changesAt}.`;
    }
    default: {
      const answer = (await runAccountCommand(api, args)) ?? (await runPolicyCommand(api, args));
      if (answer !== undefined) return answer;
      throw new UsageError(args.length === 0 ? "no command given" : `unknown command: ${args.join(" ")}`);
    }
  }
}
