import type { createCaller } from "@tokensmith/api";
import { formatLifetime } from "@tokensmith/core";
import { UsageError, table } from "./table.js";
import { parseArgs, rateLimitArg } from "./account-commands.js";

type Api = ReturnType<typeof createCaller>;

export const POLICY_USAGE = `  policy show [--account NAME]  the server-wide token policy, or an account's, and what applies
  policy set [--account NAME] [--max-life LIFE] [--require-endpoints yes|no]
             [--require-allowlist yes|no] [--max-rate-limit N/PER] [--rotation-overlap yes|no]
                              change rules for new tokens ("none" clears one; an account's rule
                              replaces the server's); tokens already issued are left alone
  policy violations [--account NAME]  tokens in force that break the policy now in force`;

const OPTIONS = ["--account", "--max-life", "--require-endpoints", "--require-allowlist", "--max-rate-limit", "--rotation-overlap"];

/** "yes" / "no" / "none" (clear); undefined when the flag is absent. */
function yesNo(name: string, value: string | undefined): boolean | null | undefined {
  if (value === undefined) return undefined;
  if (value === "none") return null;
  if (value === "yes" || value === "no") return value === "yes";
  throw new UsageError(`${name} takes yes, no or none`);
}
const orNone = <T>(value: string | undefined, read: (value: string) => T): T | null | undefined =>
  value === undefined ? undefined : value === "none" ? null : read(value);

type Stored = Awaited<ReturnType<Api["policy"]["get"]>>;
const shown = (policy: Stored) =>
  table(
    ["RULE", "SET HERE"],
    [
      ["max lifetime", policy.maxLifeSeconds === null ? "-" : formatLifetime(policy.maxLifeSeconds)],
      ["endpoints required", policy.requireEndpoints === null ? "-" : policy.requireEndpoints ? "yes" : "no"],
      ["allowlist required", policy.requireAllowedIps === null ? "-" : policy.requireAllowedIps ? "yes" : "no"],
      ["max rate limit", policy.maxRateLimit === null ? "-" : `${policy.maxRateLimit.requests}/${formatLifetime(policy.maxRateLimit.perSeconds)}`],
      ["rotation overlap", policy.allowRotationOverlap === null ? "-" : policy.allowRotationOverlap ? "allowed" : "not allowed"],
    ],
  );

/** The policy commands; undefined when `args` is none of them. */
export async function runPolicyCommand(api: Api, args: string[]): Promise<string | undefined> {
  const [group, action, ...rest] = args;
  if (group !== "policy") return undefined;
  const { positional, one } = parseArgs(rest, OPTIONS);
  if (positional.length > 0) throw new UsageError(`policy ${action} takes options only`);
  const account = one("--account");
  switch (action) {
    case "show": {
      const stored = await api.policy.get({ account });
      const lines = account === undefined ? [] : (await api.policy.effective({ account }).catch(() => null))?.lines;
      const scope = account === undefined ? "Server-wide token policy" : `Token policy of "${stored.account}" ("-": the server's applies)`;
      return [scope, shown(stored), ...(lines && lines.length > 0 ? ["In force for its new tokens:", ...lines.map((l) => `  ${l}`)] : [])].join("\n");
    }
    case "set": {
      const set = await api.policy.set({
        account,
        maxLife: orNone(one("--max-life"), (v) => v),
        requireEndpoints: yesNo("--require-endpoints", one("--require-endpoints")),
        requireAllowedIps: yesNo("--require-allowlist", one("--require-allowlist")),
        maxRateLimit: orNone(one("--max-rate-limit"), (v) => rateLimitArg(v)!),
        allowRotationOverlap: yesNo("--rotation-overlap", one("--rotation-overlap")),
      });
      return `${set.account === null ? "Server-wide token policy" : `Token policy of "${set.account}"`} set; tokens already issued are unchanged ("policy violations" lists those that break it).\n${shown(set)}`;
    }
    case "violations": {
      const found = await api.policy.violations({ account, limit: 500 });
      if (found.tokens.length === 0) return "No token in force breaks the policy.";
      const rows = table(
        ["ID", "ACCOUNT", "DESCRIPTION", "EXPIRES", "BREAKS"],
        found.tokens.map((t) => [t.id, t.accountType === "service" ? `${t.username} (service)` : t.username, t.description, t.expiresAt, t.breaches.join("; ")]),
      );
      return found.nextCursor === null ? rows : `${rows}\n(first 500 shown)`;
    }
    default:
      throw new UsageError(`unknown command: ${args.join(" ")}`);
  }
}
