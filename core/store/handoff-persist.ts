/**
 * The bars hand-off cache across restarts: at a clean close the market database's owner writes an
 * index of the cache entries that are valid at that moment (their files stay in the data
 * directory's cache folder), stamped with the identity of the database file once DuckDB has closed
 * it. At the next open, the index is trusted only when the database file is exactly as it was left:
 * same size, modification time, inode and header blocks (DuckDB's headers carry a checkpoint
 * counter), and no write-ahead log beside it. Any other writer, a crash, or a schema migration
 * changes one of these, and the whole index is then discarded: a stale file is never served.
 *
 * The identity is taken before DuckDB opens the file and again once it is open (and migrated): both
 * must match the index. The index also names the app version that wrote it, and is discarded by
 * any other. It is deleted as soon as it is read, so a session that does not close cleanly leaves none.
 * Each entry's file is flushed to disk before the index names it. Parquet files an entry read are
 * still checked by their fingerprint on use (they live outside the database).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { VERSION } from "../version.ts";

/** Bump when how a cached series is computed changes (candle SQL, file layout): older indexes are then discarded. */
export const HANDOFF_CACHE_FORMAT = 1;

const INDEX_FILE = "index.json";

/** DuckDB's main header and its two database headers. */
const HEADER_BYTES = 3 * 4096;

/** One entry of the bars hand-off cache as persisted. */
export interface PersistedEntry {
  key: string;
  /** The series' symbol and resolved venue (whose generation the entry is tagged with). */
  symbol: string;
  venue: string;
  /** The file (its name inside the cache folder when persisted). */
  file: string;
  bytes: number;
  /** Bars in the file (rows `[0, bars)`); it has room for `stride`. */
  bars: number;
  /** Column stride of the file (see `common/strategy/bars-file.ts`). */
  stride: number;
  /** Fingerprint of the Parquet files read, as of the query (see `bars-cache.ts`). */
  fingerprint: string;
  /** Parquet globs read (registered sources and archive), for re-fingerprinting. */
  globs: string[];
}

/** The persisted index of a cache folder. */
export interface PersistedIndex {
  format: number;
  /** The app version that wrote it: another version may compute series differently. */
  app: string;
  /** Identity of the database file the entries were valid for (see {@link dbIdentity}). */
  db: string;
  entries: PersistedEntry[];
  /** The venue each venue-less symbol lookup resolved to. */
  venues: [symbol: string, venue: string][];
}

/** What a cache keeps at close: the index without its stamp (format, app version, database identity). */
export type KeptHandoffs = Omit<PersistedIndex, "format" | "app" | "db">;

/**
 * Identity of a closed DuckDB file: size, modification time, inode and a hash of its headers; null
 * when there is no file or a write-ahead log is beside it (writes not yet checkpointed).
 */
export function dbIdentity(file: string): string | null {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st || fs.existsSync(`${file}.wal`)) return null;
  const head = Buffer.alloc(Math.min(HEADER_BYTES, st.size));
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  return `${st.size}:${st.mtimeMs}:${st.ino}:${crypto.createHash("sha256").update(head).digest("hex")}`;
}

function isVenue(v: unknown): v is [string, string] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string";
}

function isEntry(e: unknown): e is PersistedEntry {
  const o = e as Record<string, unknown>;
  return (
    typeof o === "object" && o !== null &&
    ["key", "symbol", "venue", "file", "fingerprint"].every((k) => typeof o[k] === "string") &&
    ["bytes", "bars", "stride"].every((k) => Number.isSafeInteger(o[k])) &&
    Array.isArray(o.globs) && o.globs.every((g) => typeof g === "string") &&
    path.basename(o.file as string) === o.file
  );
}

/**
 * Reads and deletes the index of `dir`; returns it when it was written for a database file whose
 * identity is `identity` (null: the file changed, nothing is trusted), and every file it names is
 * there with its size. Null otherwise (no index, another format, another database state, damaged).
 */
export function takePersisted(dir: string, identity: string | null): PersistedIndex | null {
  const file = path.join(dir, INDEX_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  fs.rmSync(file, { force: true });
  let index: PersistedIndex;
  try {
    index = JSON.parse(text) as PersistedIndex;
  } catch {
    return null;
  }
  if (typeof index !== "object" || index === null || identity === null) return null;
  if (index.format !== HANDOFF_CACHE_FORMAT || index.app !== VERSION || index.db !== identity) return null;
  if (!Array.isArray(index.entries) || !index.entries.every(isEntry) || !Array.isArray(index.venues) || !index.venues.every(isVenue)) return null;
  const whole = index.entries.every((e) => fs.statSync(path.join(dir, e.file), { throwIfNoEntry: false })?.size === e.bytes);
  return whole ? index : null;
}

/** Flushes a file's data to disk. */
function syncFile(file: string): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes each entry's file, then writes the index atomically (temporary file, flush, rename). */
export function writePersisted(dir: string, index: PersistedIndex): void {
  for (const e of index.entries) syncFile(path.join(dir, e.file));
  const tmp = path.join(dir, `${INDEX_FILE}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(index), { mode: 0o600 });
  syncFile(tmp);
  fs.renameSync(tmp, path.join(dir, INDEX_FILE));
}

/** Removes every file of `dir` except `keep` (file names): entries of a discarded index, temporary files. */
export function sweepFolder(dir: string, keep: ReadonlySet<string>): void {
  for (const name of fs.readdirSync(dir)) {
    if (!keep.has(name)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}
