/**
 * Small helpers of the data directory's run caches (file bars, prepared strategies): a cheap
 * content fingerprint of a file (its size and sampled blocks: the head, the tail and blocks spread
 * across it), atomic writes (a temporary file renamed into place, so a reader never sees half a
 * file), and reading a JSON entry that may be missing or damaged.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const EDGE = 64 * 1024;
const BLOCK = 4096;
const BLOCKS = 64;

/** Reads up to `length` bytes at `position`. */
function readBlock(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let off = 0;
  while (off < length) {
    const n = fs.readSync(fd, buf, off, length - off, position + off);
    if (n === 0) break;
    off += n;
  }
  return buf.subarray(0, off);
}

/**
 * sha1 (hex) of a file's size, first and last 64 KiB and 64 blocks of 4 KiB spread evenly over
 * the rest: a few hundred kilobytes read whatever the file's size. It detects a file rewritten in
 * place with other content almost always; the identity stamps (inode, mtime, ctime) do the rest.
 */
export function sampleFingerprint(file: string): string {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const h = crypto.createHash("sha1").update(String(size));
    h.update(readBlock(fd, 0, Math.min(EDGE, size)));
    if (size > 2 * EDGE) {
      const span = size - 2 * EDGE;
      for (let i = 0; i < BLOCKS; i++) h.update(readBlock(fd, EDGE + Math.floor((span * i) / BLOCKS), BLOCK));
      h.update(readBlock(fd, size - EDGE, EDGE));
    } else if (size > EDGE) {
      h.update(readBlock(fd, EDGE, size - EDGE));
    }
    return h.digest("hex");
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `file` atomically: a temporary file in the same folder, renamed into place. */
export function writeAtomic(file: string, write: (tmp: string) => void): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomUUID()}.tmp`);
  try {
    write(tmp);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** The result of reading a cache entry: absent, damaged (with why), or its parsed JSON. */
export type CacheRead = { state: "absent" } | { state: "damaged"; why: string } | { state: "ok"; value: Record<string, unknown> };

/** Reads a JSON cache entry: absent when there is no file, damaged when it does not parse as an object. */
export function readCacheJson(file: string): CacheRead {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { state: "absent" };
    return { state: "damaged", why: (err as Error).message };
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return { state: "ok", value: value as Record<string, unknown> };
  } catch {
    // Falls through to "damaged".
  }
  return { state: "damaged", why: "not a valid cache entry (corrupt or truncated)" };
}

/** Creates a cache folder (owner-only) and returns it. */
export function cacheFolder(dataDir: string, name: string): string {
  const dir = path.join(dataDir, "cache", name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Removes the oldest entries (by the mtime of their files named `*.json`) past `maxBytes` of `dir`. */
export function evictOldest(dir: string, maxBytes: number, sizeOf: (jsonFile: string) => number, remove: (jsonFile: string) => void): void {
  const entries = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .map((n) => {
      const file = path.join(dir, n);
      return { file, at: fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0, bytes: sizeOf(file) };
    })
    .sort((a, b) => b.at - a.at);
  let total = 0;
  for (const e of entries) {
    total += e.bytes;
    if (total > maxBytes) remove(e.file);
  }
}
