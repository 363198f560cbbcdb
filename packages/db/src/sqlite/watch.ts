import Sqlite from "better-sqlite3";

/**
 * Tells listeners when another connection (this process's writer, the CLI, another instance)
 * committed to the file: SQLite's `PRAGMA data_version` changes then. Checked every `intervalMs`
 * (a microsecond's work) only while someone listens.
 */
export function createCommitWatch(file: string, intervalMs = 20) {
  const listeners = new Set<() => void>();
  let db: Sqlite.Database | undefined;
  let dataVersion: Sqlite.Statement<[], number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let version = -1;
  const check = () => {
    const current = dataVersion!.get()!;
    if (current === version) return;
    version = current;
    for (const listener of listeners) listener();
  };
  return {
    watch(listener: () => void): () => void {
      if (!db) {
        db = new Sqlite(file, { readonly: true, fileMustExist: true });
        // Prepared once: the check runs 50 times a second for as long as anyone listens.
        dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
        timer = setInterval(check, intervalMs).unref();
      }
      listeners.add(listener);
      queueMicrotask(listener);
      return () => listeners.delete(listener);
    },
    close(): void {
      clearInterval(timer);
      db?.close();
      db = undefined;
    },
  };
}
