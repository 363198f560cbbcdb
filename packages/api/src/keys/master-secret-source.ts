import { log } from "../log/logger.js";
import fs from "node:fs";
import path from "node:path";
import { MasterSecret } from "@tokensmith/core";
import type { SecretSource } from "../config.js";

/**
 * The master secret from TOKENSMITH_SECRET, TOKENSMITH_SECRET_FILE, or (SQLite without either) a
 * file next to the database, created on first start readable by its owner only.
 */
export function loadMasterSecret(source: SecretSource, warn: (message: string) => void = (message) => log.warn(message)): MasterSecret {
  if (source.kind === "value") return MasterSecret.from(source.value);
  if (!fs.existsSync(source.file)) {
    if (!source.createIfMissing) throw new Error(`TOKENSMITH_SECRET_FILE ${source.file} does not exist`);
    fs.mkdirSync(path.dirname(source.file), { recursive: true });
    // "wx": never overwrite a secret another process wrote a moment ago; 0600: only its owner reads it.
    try {
      fs.writeFileSync(source.file, `${MasterSecret.generate()}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const mode = fs.statSync(source.file).mode;
  if (mode & 0o077) warn(`The master secret file ${source.file} can be read by others than its owner (chmod 600 it).`);
  return MasterSecret.from(fs.readFileSync(source.file, "utf8"));
}
