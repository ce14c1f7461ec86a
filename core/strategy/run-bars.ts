/**
 * The bars of a backtest or sweep request, as the workers get them: a hand-off file. Bars from a
 * CSV/Parquet file come through the data directory's file bars cache (read once, see
 * `file-bars-cache.ts`); bars from the store
 * come through its warm hand-off cache (`leaseBars`: no query, no copy and no hashing again when
 * the data did not change since the last run on them). Empty or unusable bars are refused before
 * any worker sees them.
 */
import fs from "node:fs";
import path from "node:path";
import { ApiError } from "../../common/api/errors.ts";
import type { BarColumns, Timeframe } from "../../common/market/bars.ts";
import { columnOffset, type BarsFileRef } from "../../common/strategy/bars-file.ts";
import { leaseBars } from "../store/bars-cache.ts";
import type { Store } from "../store/index.ts";
import { checkBars, fileFacts, readAt } from "./data.ts";
import { fileBars } from "./file-bars-cache.ts";
import type { RunDataSource } from "./runs.ts";

/** Where a run's bars come from and over which range (UTC ms). */
export interface RunBarsRequest {
  data: { file: string; timeframe?: Timeframe | undefined } | { symbol: string; venue?: string | undefined; timeframe: Timeframe };
  from?: number | undefined;
  to?: number | undefined;
}

/** The bars of a run, in a hand-off file valid while the work runs. */
export interface RunBars {
  ref: BarsFileRef;
  count: number;
  /** Source, symbol, timeframe and facts (hash, range, gaps), as saved with the run. */
  data: RunDataSource;
  /** The bars' open times. */
  time(): Float64Array;
}

/** Reads the time column of a hand-off file. */
function readTimes(ref: BarsFileRef, count: number): Float64Array {
  const time = new Float64Array(count);
  const fd = fs.openSync(ref.file, "r");
  try {
    const head = new Float64Array(1);
    readAt(fd, head, 0);
    readAt(fd, time, columnOffset(head[0]!, 0, ref.rows?.first ?? 0));
  } finally {
    fs.closeSync(fd);
  }
  return time;
}

function refuse(count: number, problem: string | null): void {
  if (count === 0) throw new ApiError("not_found", "no bars in that data and range");
  if (problem) throw new ApiError("bad_request", problem);
}

async function fromFile<T>(
  req: RunBarsRequest & { data: { file: string; timeframe?: Timeframe | undefined } },
  store: Store,
  work: (bars: RunBars) => Promise<T>,
  warn: (line: string) => void,
): Promise<T> {
  const { file, timeframe } = req.data;
  if (!fs.existsSync(file)) throw new ApiError("not_found", `${file}: no such file`);
  const check = (bars: BarColumns) => refuse(bars.time.length, bars.time.length > 0 ? checkBars(bars) : null);
  const cached = await fileBars(store.dataDir, { file, from: req.from, to: req.to, timeframe }, check, warn);
  const data: RunDataSource = { source: path.resolve(file), symbol: cached.symbol, timeframe: timeframe ?? null, facts: cached.facts };
  const time = () => cached.columns?.time ?? readTimes(cached.ref, cached.count);
  return work({ ref: cached.ref, count: cached.count, data, time });
}

/** Runs `work` with the bars of `req` in a hand-off file; `warn` gets a line when a bars cache entry was unusable. */
export async function withRunBars<T>(req: RunBarsRequest, store: Store, work: (bars: RunBars) => Promise<T>, warn: (line: string) => void = () => undefined): Promise<T> {
  if ("file" in req.data) return fromFile({ ...req, data: req.data }, store, work, warn);
  const range = { ...(req.from !== undefined ? { from: req.from } : {}), ...(req.to !== undefined ? { to: req.to } : {}) };
  const { symbol, venue, timeframe } = req.data;
  const lease = await leaseBars(await store.market(), { symbol, venue, timeframe, ...range });
  try {
    refuse(lease.bars, null);
    const { facts, problem } = lease.memo("run-facts", () => fileFacts(lease.ref));
    refuse(lease.bars, problem);
    const data: RunDataSource = { source: venue ? `${venue}:${symbol}` : symbol, symbol, timeframe, facts };
    return await work({ ref: lease.ref, count: lease.bars, data, time: () => readTimes(lease.ref, lease.bars) });
  } finally {
    lease.release();
  }
}
