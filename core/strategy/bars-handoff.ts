/**
 * Bars for the workers as a hand-off file (see `common/strategy/bars-file.ts`): either columns
 * already in core, written to a private temporary file (in /dev/shm when there is one) removed
 * when the work is done, or bars straight from the store through its warm hand-off cache
 * (`leaseBars`: no query and no file written when nothing changed since the last request).
 * Columns are written straight from their arrays (no intermediate copy of the whole file: a fresh
 * buffer of tens of megabytes costs more in page faults than the write itself).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { BarColumns } from "../../common/market/bars.ts";
import type { BarsFileRef } from "../../common/strategy/bars-file.ts";
import type { CandleRequest } from "../store/candles.ts";
import { handoffRoot } from "../store/handoff-cache.ts";
import type { MarketDb } from "../store/market-db.ts";

function writeAll(fd: number, data: Float64Array): void {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}

/** Writes the hand-off format of `bars` to `file` column by column. */
export function writeBarsFile(file: string, bars: BarColumns): void {
  const n = bars.time.length;
  const columns = [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume];
  if (columns.some((c) => c.length !== n)) throw new RangeError("bar columns have different lengths");
  const fd = fs.openSync(file, "w", 0o600);
  try {
    writeAll(fd, Float64Array.of(n));
    for (const col of columns) writeAll(fd, col);
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs `work` with the bars in a hand-off file; the file is deleted afterwards. */
export async function withBarsFile<T>(bars: BarColumns, work: (ref: BarsFileRef) => Promise<T>): Promise<T> {
  const file = path.join(handoffRoot(), `workstation-run-${process.pid}-${crypto.randomUUID()}.bin`);
  try {
    writeBarsFile(file, bars);
    return await work({ file, symbol: bars.symbol });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Runs `work` with the store's candles of `req` in a hand-off file (warm when the data did not
 * change since the last request); `bars` is their count. The file stays valid until `work` ends.
 */
export async function withStoreBars<T>(db: MarketDb, req: CandleRequest, work: (ref: BarsFileRef, bars: number) => Promise<T>): Promise<T> {
  // The store's cache (and DuckDB behind it) is loaded only here: columns already in hand never need it.
  const { leaseBars } = await import("../store/bars-cache.ts");
  const lease = await leaseBars(db, req);
  try {
    return await work(lease.ref, lease.bars);
  } finally {
    lease.release();
  }
}
