import fs from "node:fs";
import os from "node:os";

/** The wal-index format this reads (SQLite's WALINDEX_MAX_VERSION since 3.7.0); anything else: not used. */
const WAL_INDEX_VERSION = 3007000;
/** The first copy of the wal-index header: iVersion, unused, iChange, flags, mxFrame, nPage, checksums, salts. */
const HEADER_BYTES = 48;

export interface CommitProbe {
  /** False when the header is not one this knows: ask `PRAGMA data_version` instead. */
  usable: boolean;
  /** True when some connection has committed to the file since this handle's last call. */
  changed(): boolean;
  /** Only once this opener's connections to the file are closed (see below). Idempotent. */
  close(): void;
}

/** The descriptor behind the handles: read() puts the header into `header`, false when it cannot. */
interface SharedHeader {
  usable: boolean;
  header: Buffer;
  read(): boolean;
  close(): void;
}

/** One descriptor per file in this process, shared by every opener: real path → header and openers. */
const shared = new Map<string, { source: SharedHeader; users: number }>();

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
  // SQLite resolves symbolic links before naming the -shm file; a stale -shm left next to a link
  // would otherwise be watched forever and never change.
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return null;
  }
  let entry = shared.get(real);
  if (!entry) {
    const source = openHeader(`${real}-shm`);
    if (!source) return null;
    entry = { source, users: 0 };
    shared.set(real, entry);
  }
  entry.users++;
  return handleTo(real, entry.source);
}

/**
 * Each opener gets its own handle; the descriptor closes with the last one. Two databases opened
 * on one file in one process must not close it under each other: that close would drop the locks
 * the other's connections hold.
 */
function handleTo(real: string, source: SharedHeader): CommitProbe {
  // This opener's starting point: the header now (the shared buffer holds whatever was read last).
  source.read();
  const last = Buffer.from(source.header);
  let closed = false;
  return {
    usable: source.usable,
    changed() {
      // A failed read cannot prove that nothing changed.
      if (closed || !source.read()) return true;
      if (source.header.equals(last)) return false;
      source.header.copy(last);
      return true;
    },
    close() {
      if (closed) return;
      closed = true;
      const entry = shared.get(real);
      if (!entry || --entry.users > 0) return;
      shared.delete(real);
      entry.source.close();
    },
  };
}

function openHeader(shmFile: string): SharedHeader | null {
  let fd: number;
  try {
    fd = fs.openSync(shmFile, "r");
  } catch {
    return null;
  }
  const header = Buffer.alloc(HEADER_BYTES);
  const read = () => {
    try {
      return fs.readSync(fd, header, 0, HEADER_BYTES, 0) === HEADER_BYTES;
    } catch {
      return false;
    }
  };
  // The wal-index is in the machine's byte order.
  const version = () => (os.endianness() === "LE" ? header.readUInt32LE(0) : header.readUInt32BE(0));
  // Not a header this understands: never asked (callers use data_version), and still not closed
  // before the others — the connections already open hold locks on this file that a close drops.
  const usable = read() && version() === WAL_INDEX_VERSION;
  return { usable, header, read, close: () => fs.closeSync(fd) };
}
