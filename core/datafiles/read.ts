/**
 * Standalone reading of a bars or trades file into {@link BarColumns}: a private in-memory DuckDB
 * parses and checks the file (see `stage.ts`), then hands the columns over as Float64Arrays.
 * Trades files are aggregated to bars of the requested timeframe (default 1m).
 */
import path from "node:path";
import type { BarColumns, Timeframe } from "../../common/market/bars.ts";
import { bucketSql } from "../../common/market/timeframes.ts";
import { detectLayout } from "./detect.ts";
import { openMemoryDuck, readDoubleColumns } from "./duck.ts";
import { stageFile } from "./stage.ts";

/** Options of {@link readBarsFromFile}. */
export interface ReadBarsOptions {
  /** Symbol to put on the result (default: the file name without extension, upper-cased). */
  symbol?: string;
  /** Only bars with time >= from (UTC ms). */
  from?: number;
  /** Only bars with time < to (UTC ms). */
  to?: number;
  /** For trades files: the bar length (default "1m"). */
  timeframe?: Timeframe;
  /** Skip bad rows instead of failing. */
  skipBad?: boolean;
}

/** Symbol derived from a file name: "btcusdt-1m-2024.csv" → "BTCUSDT-1M-2024". */
export function symbolFromFile(file: string): string {
  return path.basename(file).replace(/(\.gz)?$/i, "").replace(/\.[^.]+$/, "").toUpperCase();
}

/**
 * SQL selecting bars (time, OHLCV as DOUBLE) from a staged table, sorted by time; with `inFileOrder`
 * (bars only) the rows come in file order instead, which is time order once the staged times were
 * checked (the sort costs more than the scan; the reader checks the order it got).
 */
export function barsQuery(table: string, kind: "bars" | "trades", range: string, timeframe: Timeframe, inFileOrder = false): string {
  if (kind === "bars") {
    return `SELECT t::DOUBLE, open::DOUBLE, high::DOUBLE, low::DOUBLE, close::DOUBLE, volume::DOUBLE FROM "${table}" WHERE ${range}${inFileOrder ? "" : " ORDER BY t"}`;
  }
  return (
    `SELECT (${bucketSql(timeframe, "t")})::DOUBLE AS bt, arg_min(price, rowid)::DOUBLE, max(price)::DOUBLE, min(price)::DOUBLE, ` +
    `arg_max(price, rowid)::DOUBLE, sum(size)::DOUBLE FROM "${table}" WHERE ${range} GROUP BY bt ORDER BY bt`
  );
}

/** True when `time` strictly increases. */
function strictlyIncreasing(time: Float64Array): boolean {
  for (let i = 1; i < time.length; i++) if (!(time[i]! > time[i - 1]!)) return false;
  return true;
}

/**
 * Reads a CSV or Parquet bars (or trades) file into columns sorted by time; Close, never Adj Close.
 * A bars file is read in file order, with no sort: its times strictly increase once checked, and
 * a whole-file strict read checks them here, on the columns read, instead of in a separate pass
 * (a file out of order then gets the staging check's error).
 */
export async function readBarsFromFile(file: string, opts: ReadBarsOptions = {}): Promise<BarColumns> {
  const duck = await openMemoryDuck();
  try {
    const layout = await detectLayout(file, duck.conn);
    const whole = opts.from === undefined && opts.to === undefined;
    const staged = await stageFile(duck.conn, file, layout, { table: "bars_file", skipBad: opts.skipBad === true, deferOrderCheck: whole });
    const range = [opts.from === undefined ? "TRUE" : `t >= ${Math.trunc(opts.from)}`, opts.to === undefined ? "TRUE" : `t < ${Math.trunc(opts.to)}`].join(" AND ");
    const query = (inFileOrder: boolean): Promise<Float64Array[]> => readDoubleColumns(duck.conn, barsQuery(staged.table, staged.kind, range, opts.timeframe ?? "1m", inFileOrder), staged.rows);
    let columns = staged.kind === "bars" ? await query(true) : null;
    if (columns !== null && !strictlyIncreasing(columns[0]!)) {
      await staged.checkOrder?.();
      columns = null;
    }
    const [time, open, high, low, close, volume] = columns ?? (await query(false));
    return { symbol: opts.symbol ?? symbolFromFile(file), time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
  } finally {
    duck.close();
  }
}
