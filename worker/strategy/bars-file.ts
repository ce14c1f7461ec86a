/**
 * Reads a bars hand-off file written by core into shared memory (one aligned buffer), which the
 * sandbox isolates then read without a copy.
 */
import fs from "node:fs";
import type { BarColumns } from "../../common/market/bars.ts";
import { encodeBars, type BarsFileRef } from "../../common/strategy/bars-file.ts";

/** Bars copied once into shared memory, in the hand-off format. */
export function sharedFromColumns(bars: BarColumns): Float64Array {
  const n = bars.time.length;
  return encodeBars(bars, new Float64Array(new SharedArrayBuffer((1 + 6 * n) * 8)));
}

/** The values of a hand-off file, in shared memory. */
export function readBarsFile(ref: BarsFileRef): Float64Array {
  const fd = fs.openSync(ref.file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    if (size % 8 !== 0) throw new Error("bad bars hand-off file");
    const buf = new SharedArrayBuffer(size);
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
