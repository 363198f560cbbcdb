#!/usr/bin/env node
// The admin CLI: a thin adapter that calls the API's procedures as an administrator.
import { BackupError, ConfigError, configureLogging, createCaller, createContextInner, loadConfig, openServices, SpecterFileError } from "@tokensmith/api";
import { TRPCError } from "@trpc/server";
import { isFileCommand, runFileCommand } from "./backup.js";
import { run, USAGE, UsageError } from "./commands.js";
import { readPassword } from "./password.js";
import { isImportCommand, runImport } from "./import-specter.js";
import { escapeUnsafeText } from "@tokensmith/core";

/** Everything the CLI prints passes here: text from the database or an error cannot drive the terminal. */
const print = (text: string) => console.log(escapeUnsafeText(text, { keepNewlines: true }));
const printError = (text: string) => console.error(escapeUnsafeText(text, { keepNewlines: true }));

async function main(args: string[]): Promise<number> {
  if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
    print(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  if (isFileCommand(args)) {
    print(await runFileCommand(args, process.env));
    return 0;
  }
  const config = loadConfig(process.env);
  // What the service logs along the way goes to stderr: stdout is the command's answer.
  configureLogging({ level: config.ops.logLevel, format: config.ops.logFormat, fd: 2 });
  const opened = await openServices(config);
  try {
    if (isImportCommand(args)) {
      print(await runImport(opened.services, args));
      return 0;
    }
    const api = createCaller(
      createContextInner({
        ...opened.services,
        caller: { userId: "cli", username: "cli", isAdmin: true, via: "cli" },
        request: { userAgent: "tokensmith-cli" },
      }),
    );
    print(await run(api, args, { readPassword }));
    return 0;
  } finally {
    await opened.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      printError(`error: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof TRPCError || error instanceof ConfigError || error instanceof BackupError || error instanceof SpecterFileError) {
      printError(`error: ${error.message}`);
      process.exit(1);
    }
    printError(String((error as Error | null)?.stack ?? error));
    process.exit(1);
  },
);
