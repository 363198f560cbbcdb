import type { createCaller } from "@tokensmith/api";
import { UsageError, table } from "./table.js";

type Api = ReturnType<typeof createCaller>;

export const ACCOUNT_USAGE = `  service-account add NAME [--description TEXT]
                              create a service account: it has no password and never signs in
  service-account list        service accounts, their managers and live tokens
  service-account remove NAME delete a service account and revoke all of its tokens
  service-account manage NAME USER | unmanage NAME USER
                              let USER issue NAME's tokens, or take that away
  service-account token NAME --description TEXT --life LIFE [--endpoint "METHOD /path"]...
                              [--allow-ip CIDR]... [--rate-limit N/PER]
                              issue a token owned by NAME; it is printed once`;

/** Flags that may repeat, flags with a value, and the rest in order. */
export function parseArgs(rest: string[], valued: string[]) {
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    if (!valued.includes(arg)) throw new UsageError(`unknown option ${arg}`);
    const value = rest[++i];
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    options.set(arg, [...(options.get(arg) ?? []), value]);
  }
  const one = (name: string) => options.get(name)?.at(-1);
  return { positional, one, all: (name: string) => options.get(name) };
}

/** "100/1 minute" → { requests: 100, per: "1 minute" }; the API judges the numbers. */
export function rateLimitArg(value: string | undefined) {
  if (value === undefined) return undefined;
  const slash = value.indexOf("/");
  if (slash <= 0) throw new UsageError('--rate-limit takes REQUESTS/PER, such as "100/1 minute"');
  return { requests: Number(value.slice(0, slash)), per: value.slice(slash + 1) };
}

/** The service-account commands; undefined when `args` is none of them. */
export async function runAccountCommand(api: Api, args: string[]): Promise<string | undefined> {
  const [group, action, ...rest] = args;
  if (group !== "service-account") return undefined;
  const { positional, one, all } = parseArgs(rest, ["--description", "--life", "--endpoint", "--allow-ip", "--rate-limit"]);
  const names = (count: number, what: string) => {
    if (positional.length !== count) throw new UsageError(`service-account ${action} takes ${what}`);
    return positional;
  };
  switch (action) {
    case "add": {
      const [name] = names(1, "a NAME");
      const created = await api.serviceAccount.create({ name: name!, description: one("--description") ?? "" });
      return `Created service account "${created.name}".`;
    }
    case "list": {
      names(0, "no arguments");
      const accounts = await api.serviceAccount.list();
      if (accounts.length === 0) return "No service accounts.";
      return table(
        ["NAME", "MANAGERS", "TOKENS", "CREATED", "DESCRIPTION"],
        accounts.map((a) => [a.name, a.managers.join(",") || "-", String(a.activeTokens), a.createdAt, a.description]),
      );
    }
    case "remove": {
      const [name] = names(1, "a NAME");
      const removed = await api.serviceAccount.remove({ name: name! });
      return `Deleted service account "${removed.username}" and revoked ${removed.tokensRevoked} token(s).`;
    }
    case "manage":
    case "unmanage": {
      const [name, manager] = names(2, "a NAME and a USER");
      const input = { name: name!, manager: manager! };
      const result = action === "manage" ? await api.serviceAccount.addManager(input) : await api.serviceAccount.removeManager(input);
      return `Managers of "${result.name}": ${result.managers.join(", ") || "none (administrators only)"}.`;
    }
    case "token": {
      const [name] = names(1, "a NAME");
      const description = one("--description");
      const life = one("--life");
      if (description === undefined || life === undefined) throw new UsageError("service-account token needs --description and --life");
      const created = await api.serviceAccount.issueToken({
        name: name!,
        description,
        life,
        endpoints: all("--endpoint"),
        allowedIps: all("--allow-ip"),
        rateLimit: rateLimitArg(one("--rate-limit")),
      });
      return `Token ${created.id} for "${name}" (expires ${created.expiresAt}); shown once:\n${created.token}`;
    }
    default:
      throw new UsageError(`unknown command: ${args.join(" ")}`);
  }
}
