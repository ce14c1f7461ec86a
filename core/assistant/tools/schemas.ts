/**
 * The assistant's tools as the model sees them: names and arguments exactly as the issue lists
 * them, with zod schemas (sent as JSON Schema, and used again to validate every call) and
 * descriptions that tell the model what each returns and its limits.
 */
import { z } from "zod";
import { TIMEFRAMES, type Timeframe } from "../../../common/market/bars.ts";

const timeframe = z.enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]]).describe("Bar timeframe: 1s, 1m, 5m, 15m, 1h, 4h, 1d, 1w (Monday-based weeks) or 1M (calendar months)");
const isoDate = z.string().max(40).describe("ISO date or date-time in UTC, e.g. 2024-01-31 or 2024-01-31T12:00:00Z");
const paramValue = z.union([z.number(), z.boolean(), z.string().max(200)]);

/** Input schemas, by tool name. */
export const TOOL_INPUTS = {
  list_symbols: z.object({}),
  get_candles: z.object({
    symbol: z.string().min(1).max(64).describe("Symbol as listed by list_symbols, e.g. BTC-USD"),
    timeframe,
    from: isoDate.optional(),
    to: isoDate.optional(),
  }),
  query_data: z.object({ sql: z.string().min(1).max(20_000).describe("One read-only DuckDB SELECT statement") }),
  write_strategy: z.object({
    name: z.string().min(1).max(80).describe("Strategy name (letters, digits, spaces, - and _)"),
    code: z.string().min(1).max(200_000).describe("The complete TypeScript module"),
  }),
  run_backtest: z.object({
    strategy: z.string().min(1).max(80).describe("Name of a saved strategy"),
    symbol: z.string().min(1).max(64),
    timeframe,
    from: isoDate.optional(),
    to: isoDate.optional(),
    params: z.record(z.string(), paramValue).optional().describe("Overrides of the strategy's params"),
    cash: z.number().positive().max(1e15).optional().describe("Starting cash (default 100000)"),
  }),
  run_sweep: z.object({
    strategy: z.string().min(1).max(80),
    symbol: z.string().min(1).max(64),
    timeframe,
    grid: z.record(z.string(), z.array(paramValue).min(1).max(50)).describe('Values to try per param, e.g. {"fast":[5,10],"slow":[30,50]}'),
    from: isoDate.optional(),
    to: isoDate.optional(),
  }),
} as const;

/** A tool name. */
export type ToolName = keyof typeof TOOL_INPUTS;

/** Arguments of a tool, after validation. */
export type ToolArgs<N extends ToolName> = z.output<(typeof TOOL_INPUTS)[N]>;

/** What each tool does, for the model. */
export const TOOL_DESCRIPTIONS: Record<ToolName, string> = {
  list_symbols: "List the symbols with local market data (venue, trades or bars, time range). Call this before asking for candles or backtests.",
  get_candles:
    "Summarise OHLCV candles of a symbol: bar count, range, first/last/high/low, returns and volatility, plus the last bars. Size-limited: it never returns every bar.",
  query_data:
    "Run one read-only SQL SELECT (DuckDB) over the local market database. Tables: instruments(venue, symbol, kind, source, tf_ms, first_ts, last_ts), " +
    "trades(venue, symbol, ts, price, size, side, trade_id), bars(venue, symbol, tf_ms, ts, open, high, low, close, volume), " +
    "integrity_events(venue, symbol, ts, type, detail). ts is UTC ms. Writes are refused; at most 200 rows and 10 s.",
  write_strategy:
    "Save a strategy (a TypeScript module importing only from \"workstation\"). It is transpiled and type-checked against the strategy API first; " +
    "on errors nothing is saved and the result lists them as line:column so you can fix the code and call write_strategy again.",
  run_backtest:
    "Backtest a saved strategy on local data in the sandbox. Returns metrics (fractions, not percent) and a short trade summary.",
  run_sweep: "Backtest a saved strategy for every combination of the grid (at most 200 combinations) and rank the results.",
};
