import fs from "node:fs";
import { importSpecter, MAX_USERS_FILE_BYTES, SpecterFileError, type Services, type SpecterImportReport } from "@tokensmith/api";
import { UsageError } from "./commands.js";

const isImport = (args: string[]) => args[0] === "import";
export { isImport as isImportCommand };

function options(args: string[]): { users: string; secretFile: string; renames: Map<string, string> } {
  if (args[1] !== "specter") throw new UsageError(`unknown command: ${args.join(" ")}`);
  let users: string | undefined;
  let secretFile: string | undefined;
  const renames = new Map<string, string>();
  for (let i = 2; i < args.length; i += 2) {
    const [name, value] = [args[i]!, args[i + 1]];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    if (name === "--users") users = value;
    else if (name === "--secret-file") secretFile = value;
    else if (name === "--rename") {
      const at = value.lastIndexOf("=");
      if (at <= 0 || at === value.length - 1) throw new UsageError(`--rename takes SPECTER_NAME=NEW_NAME, not ${JSON.stringify(value)}`);
      renames.set(value.slice(0, at), value.slice(at + 1));
    } else throw new UsageError(`unknown option ${JSON.stringify(name)}`);
  }
  if (!users || !secretFile) throw new UsageError("import specter needs --users FILE and --secret-file FILE");
  return { users, secretFile, renames };
}

/** A whole regular file of at most `limit` bytes, as UTF-8, or a refusal in words. */
function readWhole(file: string, what: string, limit: number): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new SpecterFileError(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!stat.isFile()) throw new SpecterFileError(`the ${what} ${file} is not a regular file`);
  if (stat.size > limit) throw new SpecterFileError(`the ${what} ${file} is larger than ${limit} bytes`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(fs.readFileSync(file));
  } catch (error) {
    throw new SpecterFileError(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? "it is not UTF-8 text"}`);
  }
}

function describe(report: SpecterImportReport, usersFile: string): string {
  const lines = [
    `Imported ${report.importedUsers.length} user(s) and ${report.importedTokens} token(s) from Specter.`,
    ...report.importedUsers.map((u) => `  user ${u}`),
  ];
  if (report.earlierUsers.length > 0 || report.earlierTokens > 0) {
    lines.push(`Already imported by an earlier run, left as they are: ${report.earlierUsers.length} user(s), ${report.earlierTokens} token(s).`);
    lines.push(...report.earlierUsers.map((u) => `  user ${u}`));
  }
  if (report.skippedTokens.length > 0) {
    lines.push(`Not imported: ${report.skippedTokens.length} token(s).`, ...report.skippedTokens.map((t) => `  ${t}`));
  }
  lines.push(...report.notes);
  lines.push(
    `Delete ${usersFile} now, and every copy of it: it holds these tokens in the clear, and Tokensmith keeps only their SHA-256 hashes.`,
  );
  return lines.join("\n");
}

/** `tokensmith import specter …`: one transaction, or nothing imported. */
export async function runImport(services: Services, args: string[]): Promise<string> {
  const { users, secretFile, renames } = options(args);
  const usersJson = readWhole(users, "users file", MAX_USERS_FILE_BYTES);
  // The file holds the secret and perhaps a final newline (echo "$SECRET_KEY" > file).
  const secret = readWhole(secretFile, "secret file", 4096).replace(/\r?\n$/, "");
  try {
    return describe(await importSpecter(services, { userAgent: "tokensmith-cli" }, { usersJson, secret, renames }), users);
  } catch (error) {
    if (error instanceof SpecterFileError) {
      throw new SpecterFileError(`${users}: ${error.message}. Nothing was imported.`);
    }
    throw error;
  }
}
