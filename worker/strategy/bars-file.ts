/**
 * Reads a bars hand-off file written by core into shared memory (one aligned buffer), which the
 * sandbox isolates then read without a copy. A buffer handed back with {@link releaseShared} is
 * reused by the next request of the same size: a fresh buffer of tens of megabytes costs more in
 * page faults than reading the file into it (at most two spare buffers are kept: the bars and the
 * equity output of the last run).
 */
import fs from "node:fs";
import type { BarColumns } from "../../common/market/bars.ts";
import { encodeBars, type BarsFileRef } from "../../common/strategy/bars-file.ts";

/** Largest spare buffer kept for reuse (bytes). */
const MAX_SPARE_BYTES = 256 * 1024 * 1024;
/** Most spare buffers kept. */
const MAX_SPARES = 2;
/** Spare buffers, most recently released first. */
const spares: SharedArrayBuffer[] = [];

/** A shared buffer of exactly `bytes` bytes: a spare one of that size when there is one, else a new one. */
export function takeShared(bytes: number): SharedArrayBuffer {
  const k = spares.findIndex((b) => b.byteLength === bytes);
  return k >= 0 ? spares.splice(k, 1)[0]! : new SharedArrayBuffer(bytes);
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
