import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** The wal-index format this reads (SQLite's WALINDEX_MAX_VERSION since 3.7.0); anything else: not used. */
const WAL_INDEX_VERSION = 3007000;
/** The first copy of the wal-index header: iVersion, unused, iChange, flags, mxFrame, nPage, checksums, salts. */
const HEADER_BYTES = 48;
const WORDS = HEADER_BYTES / 4;

export interface CommitProbe {
  /** False when the header is not one this knows: ask `PRAGMA data_version` instead. */
  usable: boolean;
  /** "mapped": the header is read from a shared mapping, no system call; "read": one pread a look. */
  mode: "mapped" | "read";
  /** True when some connection has committed to the file since this handle's last call. */
  changed(): boolean;
  /** Only once this opener's connections to the file are closed (see below). Idempotent. */
  close(): void;
}

/** The descriptor behind the handles: after read() (false when it cannot), `words` holds the header. */
interface SharedHeader {
  usable: boolean;
  mode: "mapped" | "read";
  /** Mapped: the file's own bytes, always current (read() has nothing to do). */
  words: Uint32Array;
  read(): boolean;
  close(): void;
}

/**
 * native/shm-map.c, built by scripts/build-native.mjs where a C compiler is; null elsewhere, and
 * with TOKENSMITH_NO_NATIVE=1 (an operator's way back to pread without a rebuild).
 */
const native = loadNative();

function loadNative(): { mapShared(fd: number, length: number): ArrayBuffer } | null {
  if (process.env.TOKENSMITH_NO_NATIVE === "1") return null;
  try {
    // The same path from src/sqlite (tests) and dist/sqlite (built).
    return createRequire(import.meta.url)(fileURLToPath(new URL("../../dist/native/shm-map.node", import.meta.url)));
  } catch {
    return null;
  }
}

/** One descriptor per file in this process, shared by every opener: real path → header and openers. */
const shared = new Map<string, { source: SharedHeader; users: number }>();

/**
 * Tells whether any connection — this process's writer, the admin CLI, another worker or instance
 * on the same file — committed to a WAL-mode SQLite database since it last looked, by reading the
 * wal-index header at the start of the `-shm` file (https://www.sqlite.org/walformat.html): SQLite
 * rewrites it on every commit (its iChange counter, mxFrame, salts, checksums). `PRAGMA data_version`
 * answers the same question through a read transaction, whose two lock calls cost ~5 µs a request
 * under load (an A/B of the GET and forward auth). A 48-byte pread still cost ~3.5 µs a request
 * there (a system call's cost under load is far above its ~1 µs in a loop), so where the native
 * helper is built the header is read from a read-only shared mapping of the file — SQLite's own
 * connections map it the same way — and a look is 12 loads. A header that changes for another
 * reason (a WAL reset, recovery), or is read while a writer is halfway through it, only clears the
 * cache once more than needed: SQLite writes this copy of the header after the commit and before
 * the commit returns, so a look after that always sees it.
 *
 * A mapping faults (SIGBUS) when read past the end of its file. Only the first 48 bytes are read:
 * SQLite never cuts the `-shm` file below 3 bytes (a first connection to a database nobody has
 * open truncates it to 3, within the same page, which then reads as zeros: "changed", never a
 * fault), and while this process's connections are open their shared lock on the dead-man-switch
 * byte rules even that out. Something else truncating it to 0 (`truncate`, `cp` over it) would
 * crash the process where pread would not; that breaks SQLite's own mappings too.
 *
 * Returns null when there is no `-shm` file, and an unusable probe when its header is not the
 * version this knows: callers then ask `PRAGMA data_version`.
 *
 * The descriptor must stay open as long as any SQLite connection to this file is open in the
 * process: closing any descriptor of a file drops all of the process's POSIX locks on it, SQLite's
 * locks on the `-shm` file included. Whoever opens the connections closes this last.
 */
export function openCommitProbe(file: string, { map = true }: { map?: boolean } = {}): CommitProbe | null {
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
    const source = openHeader(`${real}-shm`, map);
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
  const { words } = source;
  const last = Uint32Array.from(words);
  let closed = false;
  return {
    usable: source.usable,
    mode: source.mode,
    changed() {
      // A failed read cannot prove that nothing changed.
      if (closed || !source.read()) return true;
      let same = true;
      for (let i = 0; i < WORDS; i++) same &&= words[i] === last[i];
      if (same) return false;
      last.set(words);
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

function openHeader(shmFile: string, map: boolean): SharedHeader | null {
  let fd: number;
  try {
    fd = fs.openSync(shmFile, "r");
  } catch {
    return null;
  }
  const close = () => fs.closeSync(fd);
  // The wal-index is in the machine's byte order, as a Uint32Array reads it.
  const known = (words: Uint32Array) => words[0] === WAL_INDEX_VERSION;
  const mapped = map && native ? mapHeader(fd) : null;
  // Not a header this understands: never asked (callers use data_version), and still not closed
  // before the others — the connections already open hold locks on this file that a close drops.
  if (mapped) return { usable: known(mapped), mode: "mapped", words: mapped, read: () => true, close };
  const words = new Uint32Array(WORDS);
  const header = new Uint8Array(words.buffer);
  const read = () => {
    try {
      return fs.readSync(fd, header, 0, HEADER_BYTES, 0) === HEADER_BYTES;
    } catch {
      return false;
    }
  };
  return { usable: read() && known(words), mode: "read", words, read, close };
}

/** The header's words in a shared mapping; null (read it instead) when the file is shorter or the map fails. */
function mapHeader(fd: number): Uint32Array | null {
  try {
    if (fs.fstatSync(fd).size < HEADER_BYTES) return null;
    return new Uint32Array(native!.mapShared(fd, HEADER_BYTES), 0, WORDS);
  } catch {
    return null;
  }
}
