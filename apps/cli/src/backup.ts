import { backupDatabase, restoreDatabase } from "@tokensmith/api";
import { UsageError } from "./commands.js";

type Env = Record<string, string | undefined>;

/** At most this many revived token ids are listed one by one. */
const LISTED_IDS = 20;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function sizeOf(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function contents(summary: { users: number; tokens: number; keys: unknown[] }): string {
  return `${plural(summary.users, "user")}, ${plural(summary.tokens, "token")}, ${plural(summary.keys.length, "signing key")}`;
}

/** `backup FILE [--force]` and `restore FILE`: the one FILE, and no flag but those allowed. */
function fileArgument(command: string, rest: string[], flags: string[]): string {
  const unknown = rest.find((arg) => arg.startsWith("--") && !flags.includes(arg));
  if (unknown) throw new UsageError(`${command} does not take ${unknown}`);
  const positional = rest.filter((arg) => !arg.startsWith("--"));
  if (positional.length !== 1) throw new UsageError(`${command} takes exactly one FILE`);
  return positional[0]!;
}

/**
 * The commands on the database file itself rather than through the API: they run without opening
 * services (a restore must not have the database open, and neither needs PostgreSQL reachable).
 */
export async function runFileCommand(args: string[], env: Env): Promise<string> {
  const [command, ...rest] = args;
  if (command === "backup") {
    const file = fileArgument("backup", rest, ["--force"]);
    const done = await backupDatabase(env, file, { force: rest.includes("--force") });
    return [
      `Backed up ${done.database} to ${done.file}: ${contents(done)} (${sizeOf(done.bytes)}).`,
      `Its signing keys, and so every token it holds, work only with the master secret (${done.secret}):`,
      `keep a copy of that secret too, stored apart from the backup. Restoring needs it.`,
    ].join("\n");
  }
  const file = fileArgument("restore", rest, []);
  const done = await restoreDatabase(env, file);
  const lines = [`Restored ${file} into ${done.database}: ${contents(done)}.`];
  if (done.kept) lines.push(`The database it replaced is kept as ${done.kept}.`);
  if (done.revived.length > 0) {
    const listed = done.revived.slice(0, LISTED_IDS).map((id) => `  ${id}`);
    if (done.revived.length > LISTED_IDS) listed.push(`  … and ${done.revived.length - LISTED_IDS} more`);
    lines.push(
      `${plural(done.revived.length, "token")} revoked since the backup ${done.revived.length === 1 ? "is" : "are"} in force again:`,
      ...listed,
      "Offline verifiers (@tokensmith/verify) that saw them revoked keep refusing them until they restart;",
      "revoke them again if they must stay revoked.",
    );
  }
  lines.push("Start the server: it runs on the restored database.");
  return lines.join("\n");
}

export const isFileCommand = (args: string[]) => args[0] === "backup" || args[0] === "restore";
