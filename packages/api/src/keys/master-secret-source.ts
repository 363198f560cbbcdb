import { log } from "../log/logger.js";
import fs from "node:fs";
import path from "node:path";
import { MasterSecret } from "@tokensmith/core";
import { ConfigError, type SecretSource } from "../config.js";

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * The master secret from TOKENSMITH_SECRET, TOKENSMITH_SECRET_FILE, or (SQLite without either) a
 * file next to the database, created on first start readable by its owner only. A file that is
 * missing, unreadable, too short or cannot be made is a ConfigError: one line at start, exit 2.
 */
export function loadMasterSecret(source: SecretSource, warn: (message: string) => void = (message) => log.warn(message)): MasterSecret {
  if (source.kind === "value") return MasterSecret.from(source.value);
  const name = source.createIfMissing ? `The master secret file ${source.file}` : `TOKENSMITH_SECRET_FILE ${source.file}`;
  if (!fs.existsSync(source.file)) {
    if (!source.createIfMissing) throw new ConfigError(`${name} does not exist`);
    const cannot = (error: unknown) =>
      new ConfigError(`${name} cannot be created (${errorCode(error)}): its directory must be a directory the server can write to`);
    try {
      fs.mkdirSync(path.dirname(source.file), { recursive: true });
    } catch (error) {
      throw cannot(error);
    }
    try {
      // "wx": never overwrite a secret another process wrote a moment ago; 0600: only its owner reads it.
      fs.writeFileSync(source.file, `${MasterSecret.generate()}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw cannot(error);
    }
  }
  let text: string;
  try {
    text = fs.readFileSync(source.file, "utf8");
  } catch (error) {
    throw new ConfigError(`${name} cannot be read (${errorCode(error)})`);
  }
  if (fs.statSync(source.file).mode & 0o077) warn(`The master secret file ${source.file} can be read by others than its owner (chmod 600 it).`);
  try {
    return MasterSecret.from(text);
  } catch (error) {
    throw new ConfigError(`${name}: ${(error as Error).message}`);
  }
}
