import fs from "node:fs";
import os from "node:os";

/** The wal-index format this reads (SQLite's WALINDEX_MAX_VERSION since 3.7.0); anything else: not used. */
const WAL_INDEX_VERSION = 3007000;
/** The first copy of the wal-index header: iVersion, unused, iChange, flags, mxFrame, nPage, checksums, salts. */
const HEADER_BYTES = 48;

export interface CommitProbe {
  /** False when the header is not one this knows: ask `PRAGMA data_version` instead. */
  usable: boolean;
  /** True when some connection has committed to the file since the last call. */
  changed(): boolean;
  /** Only once no connection to the file is open in this process any more (see below). */
  close(): void;
}

/**
 * Tells whether any connection — this process's writer, the admin CLI, another worker or instance
 * on the same file — committed to a WAL-mode SQLite database since it last looked, by reading the
 * wal-index header at the start of the `-shm` file (https://www.sqlite.org/walformat.html): SQLite
 * rewrites it on every commit (its iChange counter, mxFrame, salts, checksums). One 48-byte pread,
 * ~1 µs. `PRAGMA data_version` answers the same question through a read transaction, whose two
 * lock calls cost ~5 µs a request under load (an A/B of the GET and forward auth): the largest
 * single cost of an authenticated request. A header that changes for another reason (a WAL reset,
 * recovery) only clears the cache once more than needed.
 *
 * Returns null when there is no `-shm` file, and an unusable probe when its header is not the
 * version this knows: callers then ask `PRAGMA data_version`.
 *
 * The descriptor must stay open as long as any SQLite connection to this file is open in the
 * process: closing any descriptor of a file drops all of the process's POSIX locks on it, SQLite's
 * locks on the `-shm` file included. Whoever opens the connections closes this last.
 */
export function openCommitProbe(file: string): CommitProbe | null {
  let fd: number;
  try {
    fd = fs.openSync(`${file}-shm`, "r");
  } catch {
    return null;
  }
  const last = Buffer.alloc(HEADER_BYTES);
  const current = Buffer.alloc(HEADER_BYTES);
  const read = () => {
    try {
      return fs.readSync(fd, current, 0, HEADER_BYTES, 0) === HEADER_BYTES;
    } catch {
      return false;
    }
  };
  // The wal-index is in the machine's byte order.
  const version = () => (os.endianness() === "LE" ? current.readUInt32LE(0) : current.readUInt32BE(0));
  const close = () => fs.closeSync(fd);
  if (!read() || version() !== WAL_INDEX_VERSION) {
    // Not a header this understands. Not closed now: the connections already open hold locks on
    // this file that a close would drop. Never asked; closed with the others.
    return { changed: () => true, close, usable: false };
  }
  current.copy(last);
  return {
    usable: true,
    changed() {
      // A short or failed read cannot prove that nothing changed.
      if (!read()) return true;
      if (current.equals(last)) return false;
      current.copy(last);
      return true;
    },
    close,
  };
}
