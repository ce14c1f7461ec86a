/**
 * Reads a bars hand-off file written by core into shared memory (one aligned buffer), which the
 * sandbox isolates then read without a copy. A buffer handed back with {@link releaseShared} is
 * reused by the next request of the same size, or grown in place for a slightly larger one: a fresh
 * buffer of tens of megabytes costs more in page faults than reading the file into it (at most two
 * spare buffers are kept: the bars and the equity output of the last run).
 */
import fs from "node:fs";
import type { BarColumns } from "../../common/market/bars.ts";
import { encodeBars, type BarsFileRef } from "../../common/strategy/bars-file.ts";

/** The ES2024 growable SharedArrayBuffer API (Node 24 has it; the project's TypeScript lib is ES2023). */
interface Growable {
  readonly growable: boolean;
  readonly maxByteLength: number;
  grow(bytes: number): void;
}
const GrowableShared = SharedArrayBuffer as unknown as new (bytes: number, opts: { maxByteLength: number }) => SharedArrayBuffer;
const asGrowable = (buf: SharedArrayBuffer): SharedArrayBuffer & Growable => buf as SharedArrayBuffer & Growable;

/** Largest spare buffer kept for reuse (bytes). */
const MAX_SPARE_BYTES = 256 * 1024 * 1024;
/** Most spare buffers kept. */
const MAX_SPARES = 2;
/** Spare buffers, most recently released first. */
const spares: SharedArrayBuffer[] = [];

/**
 * A shared buffer of exactly `bytes` bytes: a spare one of that size when there is one, else a
 * smaller spare grown in place (new data of a series is usually the same bars plus a few: growing
 * touches fresh pages only for the difference), else a new growable one with 1/8 headroom of
 * address space (reserved, not committed).
 */
export function takeShared(bytes: number): SharedArrayBuffer {
  let k = spares.findIndex((b) => b.byteLength === bytes);
  if (k < 0) k = spares.findIndex((b) => asGrowable(b).growable && b.byteLength < bytes && asGrowable(b).maxByteLength >= bytes);
  if (k < 0) return new GrowableShared(bytes, { maxByteLength: bytes + Math.ceil(bytes / 8) });
  const buf = spares.splice(k, 1)[0]!;
  if (buf.byteLength < bytes) asGrowable(buf).grow(bytes);
  return buf;
}

/** Hands a buffer from {@link takeShared} back once nothing reads or writes it any more. */
export function releaseShared(buf: ArrayBufferLike): void {
  if (!(buf instanceof SharedArrayBuffer) || buf.byteLength > MAX_SPARE_BYTES || spares.includes(buf)) return;
  spares.unshift(buf);
  if (spares.length > MAX_SPARES) spares.length = MAX_SPARES;
}

/** Bars copied once into shared memory, in the hand-off format. */
export function sharedFromColumns(bars: BarColumns): Float64Array {
  const n = bars.time.length;
  return encodeBars(bars, new Float64Array(takeShared((1 + 6 * n) * 8)));
}

/** The values of a hand-off file, in shared memory. */
export function readBarsFile(ref: BarsFileRef): Float64Array {
  const fd = fs.openSync(ref.file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    if (size % 8 !== 0) throw new Error("bad bars hand-off file");
    const buf = takeShared(size);
    const bytes = new Uint8Array(buf);
    let off = 0;
    while (off < size) {
      const got = fs.readSync(fd, bytes, off, size - off, off);
      if (got === 0) throw new Error("bars hand-off file ended early");
      off += got;
    }
    return new Float64Array(buf);
  } finally {
    fs.closeSync(fd);
  }
}
