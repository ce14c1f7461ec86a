/**
 * Facts about a run's bars that go into the saved run: a hash of the data (so a rerun on other
 * data shows) and whether the range had gaps. A gap is a spacing between consecutive bars above
 * five times the median spacing (or the timeframe when given): weekends and holidays of daily
 * session data stay below it, a missing hour of minute bars does not.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import type { BarColumns } from "../../common/market/bars.ts";
import { columnOffset, refRows, type BarsFileRef } from "../../common/strategy/bars-file.ts";

/** Hash and gap facts of a bar range. */
export interface DataFacts {
  /** sha256 (hex) of the symbol and the six columns' bytes. */
  hash: string;
  bars: number;
  from: number | null;
  to: number | null;
  gaps: number;
  maxGapMs: number;
}

function medianSpacing(time: Float64Array): number {
  const n = Math.min(time.length - 1, 10_001);
  if (n <= 0) return 0;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = time[i + 1]! - time[i]!;
  d.sort();
  return d[n >> 1]!;
}

/** Gap count of consecutive times, fed block by block (`prev` is the time before the block). */
interface GapScan {
  limit: number;
  prev: number;
  gaps: number;
  maxGapMs: number;
}

function scanGaps(s: GapScan, time: Float64Array): void {
  for (let i = 0; i < time.length; i++) {
    const d = time[i]! - s.prev;
    if (s.limit > 0 && d > s.limit) {
      s.gaps++;
      s.maxGapMs = Math.max(s.maxGapMs, d);
    }
    s.prev = time[i]!;
  }
}

const gapLimit = (time: Float64Array, timeframeMs?: number): number => (timeframeMs ?? medianSpacing(time)) * (timeframeMs ? 1 : 5);

/** Hash and gaps of `bars`; `timeframeMs` sets the expected spacing when known. */
export function dataFacts(bars: BarColumns, timeframeMs?: number): DataFacts {
  const h = crypto.createHash("sha256");
  h.update(bars.symbol);
  for (const col of [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume]) h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  const n = bars.time.length;
  const scan: GapScan = { limit: gapLimit(bars.time, timeframeMs), prev: bars.time[0]!, gaps: 0, maxGapMs: 0 };
  if (n > 1) scanGaps(scan, bars.time.subarray(1));
  return { hash: h.digest("hex"), bars: n, from: n > 0 ? bars.time[0]! : null, to: n > 0 ? bars.time[n - 1]! : null, gaps: scan.gaps, maxGapMs: scan.maxGapMs };
}

/** Checks bars `first`.. of a block (`prev`: the time of the bar before it); a problem or null. */
function checkBlock(cols: Float64Array[], first: number, prev: number): string | null {
  const [time, open, high, low, close] = cols as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  for (let j = 0; j < time.length; j++) {
    const i = first + j;
    const before = j > 0 ? time[j - 1]! : prev;
    if (!Number.isFinite(time[j]!)) return `bar ${i} has no valid time`;
    if (i > 0 && time[j]! <= before) return `bar times must increase (bar ${i} at ${time[j]} follows ${before})`;
    if (![open[j]!, high[j]!, low[j]!, close[j]!].every(Number.isFinite)) return `bar ${i} has a non-finite price`;
  }
  return null;
}

/** Why the bars cannot be backtested (unsorted times, non-finite prices), or null. */
export function checkBars(bars: BarColumns): string | null {
  return checkBlock([bars.time, bars.open, bars.high, bars.low, bars.close], 0, Number.NaN);
}

/** Rows per block when reading a hand-off file. */
const BLOCK = 65_536;

/** Fills `target` from the open file `fd` at byte `position`. */
export function readAt(fd: number, target: Float64Array, position: number): void {
  const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
  let off = 0;
  while (off < bytes.length) {
    const got = fs.readSync(fd, bytes, off, bytes.length - off, position + off);
    if (got === 0) throw new Error("bars hand-off file ended early");
    off += got;
  }
}

/**
 * {@link dataFacts} and {@link checkBars} of the bars in a hand-off file, read in blocks (no column
 * is ever whole in memory): the same results as on the columns.
 */
export function fileFacts(ref: BarsFileRef, timeframeMs?: number): { facts: DataFacts; problem: string | null } {
  const fd = fs.openSync(ref.file, "r");
  try {
    const head = new Float64Array(1);
    readAt(fd, head, 0);
    const { first, count: n } = refRows(ref, head[0]!);
    const at = (k: number, row: number): number => columnOffset(head[0]!, k, first + row);
    const bufs = Array.from({ length: 6 }, () => new Float64Array(Math.min(BLOCK, Math.max(n, 1))));
    const h = crypto.createHash("sha256");
    h.update(ref.symbol);
    for (let k = 0; k < 6; k++) {
      for (let row = 0; row < n; row += BLOCK) {
        const block = bufs[k]!.subarray(0, Math.min(BLOCK, n - row));
        readAt(fd, block, at(k, row));
        h.update(new Uint8Array(block.buffer, block.byteOffset, block.byteLength));
      }
    }
    const lead = new Float64Array(Math.min(n, 10_002));
    readAt(fd, lead, at(0, 0));
    const scan: GapScan = { limit: gapLimit(lead, timeframeMs), prev: lead[0]!, gaps: 0, maxGapMs: 0 };
    let problem: string | null = null;
    let last = Number.NaN;
    for (let row = 0; row < n; row += BLOCK) {
      const cols = bufs.slice(0, 5).map((b, k) => {
        const block = b.subarray(0, Math.min(BLOCK, n - row));
        readAt(fd, block, at(k, row));
        return block;
      });
      problem ??= checkBlock(cols, row, last);
      scanGaps(scan, row === 0 ? cols[0]!.subarray(1) : cols[0]!);
      last = cols[0]![cols[0]!.length - 1]!;
    }
    const facts = { hash: h.digest("hex"), bars: n, from: n > 0 ? lead[0]! : null, to: n > 0 ? last : null, gaps: scan.gaps, maxGapMs: scan.maxGapMs };
    return { facts, problem };
  } finally {
    fs.closeSync(fd);
  }
}
