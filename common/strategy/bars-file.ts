/**
 * The hand-off format of bars from core to a worker process: one binary file of little-endian
 * float64 values, `[n, time×n, open×n, high×n, low×n, close×n, volume×n]`. Writing the file once
 * and letting each worker read it is far faster than sending tens of megabytes over the IPC
 * channel, and a sweep writes it once for all its chunks.
 */
import type { BarColumns } from "../market/bars.ts";

/** A reference to bars in a hand-off file, sent instead of the columns. */
export interface BarsFileRef {
  file: string;
  symbol: string;
}

/** Values of the hand-off format for `bars`, in `target` when given (e.g. shared memory). */
export function encodeBars(bars: BarColumns, target?: Float64Array): Float64Array {
  const n = bars.time.length;
  const out = target ?? new Float64Array(1 + 6 * n);
  if (out.length !== 1 + 6 * n) throw new RangeError("target has the wrong length");
  out[0] = n;
  [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume].forEach((col, k) => out.set(col, 1 + k * n));
  return out;
}

/** Columns viewing a decoded file's values (no copy). */
export function decodeBars(values: Float64Array, symbol: string): BarColumns {
  const n = values[0]!;
  if (!Number.isInteger(n) || n < 0 || values.length !== 1 + 6 * n) throw new Error("bad bars hand-off file");
  const col = (k: number) => values.subarray(1 + k * n, 1 + (k + 1) * n);
  return { symbol, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}
