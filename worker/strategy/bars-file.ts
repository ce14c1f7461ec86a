/**
 * Reads a bars hand-off file written by core into shared memory (one aligned buffer), which the
 * sandbox isolates then read without a copy. A buffer handed back with {@link releaseShared} is
 * reused by the next request it fits (at most two spare buffers are kept: the bars and the equity
 * output of the last run): a buffer may be longer than the values it holds.
 */
import fs from "node:fs";
import { ApiError } from "../../common/api/errors.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import { columnOffset, encodeBars, refRows, type BarsFileRef } from "../../common/strategy/bars-file.ts";

/** Largest spare buffer kept for reuse (bytes). */
const MAX_SPARE_BYTES = 256 * 1024 * 1024;
/** Most spare buffers kept. */
const MAX_SPARES = 2;
/** Spare buffers, most recently released first. */
const spares: SharedArrayBuffer[] = [];

/**
 * A shared buffer of at least `bytes` bytes (callers view the first `bytes`): the smallest spare
 * that fits without wasting more than a quarter, else a new one with 1/16 of room to spare, so the
 * next request of a series that grew by a few bars reuses it without touching fresh pages. New
 * buffers come from malloc, which core's worker environment asks to back with huge pages where
 * the system allows it (see `workerEnv` in core/workers/entry.ts): fewer page faults per buffer.
 */
export function takeShared(bytes: number): SharedArrayBuffer {
  let best = -1;
  for (let i = 0; i < spares.length; i++) {
    const size = spares[i]!.byteLength;
    if (size >= bytes && size <= bytes + Math.ceil(bytes / 4) && (best < 0 || size < spares[best]!.byteLength)) best = i;
  }
  return best >= 0 ? spares.splice(best, 1)[0]! : new SharedArrayBuffer(bytes + Math.ceil(bytes / 16 / 8) * 8);
}

/**
 * Readies the buffers a run over `bars` bars takes (the bars, and 9 bytes a bar of equity output):
 * taken, every page touched once, and kept as spares. Fresh memory costs a page fault per 4 KiB
 * on first touch (tens of milliseconds for a million bars, more on VMs); done while the worker is
 * idle, the next run reads straight into memory that is already there. Returns the buffers (now spares).
 */
export function reserveShared(bars: number): SharedArrayBuffer[] {
  const readied = [(1 + 6 * bars) * 8, bars * 9].map((bytes) => {
    const buf = takeShared(bytes);
    const view = new Uint8Array(buf);
    for (let i = 0; i < view.length; i += 4096) view[i] = 0;
    return buf;
  });
  for (const buf of readied) releaseShared(buf);
  return readied;
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
  return encodeBars(bars, new Float64Array(takeShared((1 + 6 * n) * 8), 0, 1 + 6 * n));
}

/** Fills `bytes` from the open file `fd` at byte `position`. */
function readFully(fd: number, bytes: Uint8Array, position: number): void {
  let off = 0;
  while (off < bytes.length) {
    const got = fs.readSync(fd, bytes, off, bytes.length - off, position + off);
    if (got === 0) throw new Error("bars hand-off file ended early");
    off += got;
  }
}

/** `fn()`, its error (a malformed reference) as `bad_request`. */
function asBadRequest<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new ApiError("bad_request", (err as Error).message);
  }
}

/**
 * The values of a hand-off file's bars (the rows its reference names), dense, in shared memory:
 * a dense file is read whole in one go, a file with room to grow column by column.
 */
export function readBarsFile(ref: BarsFileRef): Float64Array {
  let fd: number;
  try {
    fd = fs.openSync(ref.file, "r");
  } catch (err) {
    throw new ApiError("not_found", `bars hand-off file cannot be opened (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const head = new Float64Array(1);
    readFully(fd, new Uint8Array(head.buffer), 0);
    const stride = head[0]!;
    if (size % 8 !== 0 || size < (1 + 6 * stride) * 8) throw new ApiError("bad_request", "bad bars hand-off file");
    const { first, count } = asBadRequest(() => refRows(ref, stride));
    const values = new Float64Array(takeShared((1 + 6 * count) * 8), 0, 1 + 6 * count);
    if (first === 0 && count === stride) readFully(fd, new Uint8Array(values.buffer, 0, (1 + 6 * count) * 8), 0);
    else {
      values[0] = count;
      for (let k = 0; k < 6; k++) readFully(fd, new Uint8Array(values.buffer, columnOffset(count, k, 0), count * 8), columnOffset(stride, k, first));
    }
    return values;
  } finally {
    fs.closeSync(fd);
  }
}
