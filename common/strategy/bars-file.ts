/**
 * The hand-off format of bars from core to a worker process: one binary file of little-endian
 * float64 values, `[s, time×s, open×s, high×s, low×s, close×s, volume×s]` where `s` is the column
 * stride. A dense file holds `s` bars; a file with room to grow (the store's cached series, which
 * take new bars in place) holds fewer, and its reference says which rows are bars. Writing the file
 * once and letting each worker read it is far faster than sending tens of megabytes over the IPC
 * channel, and a sweep writes it once for all its chunks. In memory (after reading) the values are
 * always dense: `[n, time×n, ...]`.
 */
import type { BarColumns } from "../market/bars.ts";

/** A reference to bars in a hand-off file, sent instead of the columns. */
export interface BarsFileRef {
  file: string;
  symbol: string;
  /** The rows that are bars, `[first, first + count)`; all `s` rows when absent. */
  rows?: { first: number; count: number };
}

/** The rows of `ref` in a file of column stride `stride`, checked. */
export function refRows(ref: BarsFileRef, stride: number): { first: number; count: number } {
  const rows = ref.rows ?? { first: 0, count: stride };
  const ok = [stride, rows.first, rows.count].every((v) => Number.isInteger(v) && v >= 0) && rows.first + rows.count <= stride;
  if (!ok) throw new Error("bad bars hand-off file");
  return rows;
}

/** Byte offset of row `row` of column `k` (0 = time … 5 = volume) in a file of column stride `stride`. */
export function columnOffset(stride: number, k: number, row: number): number {
  return 8 + (k * stride + row) * 8;
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

/** Columns viewing dense values `[n, time×n, ...]` (no copy); values after them are ignored (a reused, longer buffer). */
export function decodeBars(values: Float64Array, symbol: string): BarColumns {
  const n = values[0]!;
  if (!Number.isInteger(n) || n < 0 || values.length < 1 + 6 * n) throw new Error("bad bars hand-off file");
  const col = (k: number) => values.subarray(1 + k * n, 1 + (k + 1) * n);
  return { symbol, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

/** Columns viewing the bars of a whole hand-off file's values as `ref` names them (no copy; any stride). */
export function fileColumns(values: Float64Array, ref: BarsFileRef): BarColumns {
  const stride = values[0]!;
  const { first, count } = refRows(ref, stride);
  if (values.length < 1 + 6 * stride) throw new Error("bad bars hand-off file");
  const col = (k: number) => values.subarray(1 + k * stride + first, 1 + k * stride + first + count);
  return { symbol: ref.symbol, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}
