/**
 * The data tools: `list_symbols`, `get_candles` (a summary, never every bar) and `query_data`
 * (the store's read-only query with the assistant's row and time limits). Everything they return
 * comes from local files and is quoted as untrusted data.
 */
import type { CandlesPage } from "../../../common/api/store.ts";
import { fitRows } from "./quote.ts";
import { type ToolContext, type ToolRun, failure, isoTime, parseIsoDate, success } from "./context.ts";
import type { ToolArgs } from "./schemas.ts";

/** Rows and time the assistant's SQL may use. */
export const QUERY_LIMITS = { maxRows: 200, timeoutMs: 10_000 } as const;
/** Bars read to summarise candles. */
export const CANDLE_LIMIT = 5000;
const LAST_BARS = 12;
const SAMPLE_POINTS = 40;

/** `list_symbols {}`. */
export async function listSymbols(_args: ToolArgs<"list_symbols">, ctx: ToolContext): Promise<ToolRun> {
  const symbols = await ctx.backend.listSymbols(ctx.signal);
  const rows = symbols.map((s) => ({ venue: s.venue, symbol: s.symbol, kind: s.kind, source: s.source, tfMs: s.tfMs, from: isoTime(s.firstTs), to: isoTime(s.lastTs) }));
  const fitted = fitRows(rows, (r) => ({ symbols: r }));
  const view = { kind: "symbols" as const, symbols: symbols.map((s) => ({ symbol: s.symbol, venue: s.venue, from: s.firstTs, to: s.lastTs })) };
  return success("list_symbols", { count: rows.length, symbols: fitted.rows, ...(fitted.cut ? { shown: fitted.rows.length } : {}) }, view);
}

function round(x: number, digits = 6): number | null {
  if (!Number.isFinite(x)) return null;
  return Number(x.toPrecision(digits));
}

/** Summary statistics of a page of candles. */
export function summariseCandles(page: CandlesPage): Record<string, number | null> {
  const n = page.time.length;
  if (n === 0) return { bars: 0 };
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    high = Math.max(high, page.high[i]!);
    low = Math.min(low, page.low[i]!);
    volume += page.volume[i]!;
    if (i > 0 && page.close[i - 1]! > 0 && page.close[i]! > 0) {
      const r = Math.log(page.close[i]! / page.close[i - 1]!);
      sum += r;
      sumSq += r * r;
    }
  }
  const m = n - 1;
  const mean = m > 0 ? sum / m : NaN;
  const variance = m > 1 ? (sumSq - m * mean * mean) / (m - 1) : NaN;
  return {
    bars: n,
    firstOpen: round(page.open[0]!),
    lastClose: round(page.close[n - 1]!),
    high: round(high),
    low: round(low),
    change: round(page.close[n - 1]! / page.open[0]! - 1, 4),
    stdevLogReturnPerBar: round(Math.sqrt(Math.max(0, variance)), 4),
    avgVolume: round(volume / n),
  };
}

function bar(page: CandlesPage, i: number): (string | number | null)[] {
  return [isoTime(page.time[i]!), round(page.open[i]!), round(page.high[i]!), round(page.low[i]!), round(page.close[i]!), round(page.volume[i]!)];
}

/** `get_candles {symbol, timeframe, from?, to?}`. */
export async function getCandles(args: ToolArgs<"get_candles">, ctx: ToolContext): Promise<ToolRun> {
  const from = parseIsoDate(args.from, "from");
  const to = parseIsoDate(args.to, "to");
  if (from !== undefined && to !== undefined && from >= to) return failure("get_candles", "from must be before to");
  const page = await ctx.backend.candles({ symbol: args.symbol.toUpperCase(), timeframe: args.timeframe, from, to, limit: CANDLE_LIMIT }, ctx.signal);
  const n = page.time.length;
  const stats = summariseCandles(page);
  const step = Math.max(1, Math.ceil(n / SAMPLE_POINTS));
  const sampledCloses: (number | null)[] = [];
  for (let i = 0; i < n; i += step) sampledCloses.push(round(page.close[i]!));
  const payload = {
    symbol: page.symbol,
    venue: page.venue,
    timeframe: page.timeframe,
    from: isoTime(n > 0 ? page.time[0]! : null),
    to: isoTime(n > 0 ? page.time[n - 1]! : null),
    ...(page.more ? { note: `only the newest ${CANDLE_LIMIT} bars of the range are summarised` } : {}),
    stats,
    sampledCloses,
    lastBars: { columns: ["time", "open", "high", "low", "close", "volume"], rows: Array.from({ length: Math.min(LAST_BARS, n) }, (_, k) => bar(page, n - Math.min(LAST_BARS, n) + k)) },
  };
  const view = { kind: "candles" as const, symbol: page.symbol, timeframe: page.timeframe, bars: n, first: n > 0 ? page.time[0]! : null, last: n > 0 ? page.time[n - 1]! : null, stats };
  return success("get_candles", payload, view);
}

/** `query_data {sql}`: refused writes and bad SQL come back as tool errors the model can read. */
export async function queryData(args: ToolArgs<"query_data">, ctx: ToolContext): Promise<ToolRun> {
  let result;
  try {
    result = await ctx.backend.query(args.sql, QUERY_LIMITS, ctx.signal);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return failure("query_data", message, { sql: args.sql }, { kind: "table", sql: args.sql, columns: [], rows: [], truncated: false });
  }
  const columns = result.columns.map((c) => c.name);
  const fitted = fitRows(result.rows, (rows) => ({ columns, rows }));
  const truncated = result.truncated || fitted.cut;
  const payload = { columns, rows: fitted.rows, rowCount: fitted.rows.length, truncated, ...(truncated ? { note: `more rows exist; at most ${fitted.rows.length} are shown` } : {}) };
  return success("query_data", payload, { kind: "table", sql: args.sql, columns, rows: result.rows.slice(0, QUERY_LIMITS.maxRows), truncated });
}
