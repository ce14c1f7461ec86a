/**
 * What a backtest takes and returns, outside the strategy's own API: run configuration, the
 * result records (trades, orders, equity curve), metrics, and the limits of the sandbox.
 */
import type { FillOn, OrderType, StrategyParams } from "./api.ts";
import type { EquityCurve } from "./equity-curve.ts";
import type { SweepRow } from "./sweep.ts";

/** Instrument facts the simulated broker rounds to (absent = no rounding). */
export interface InstrumentSpec {
  tickSize?: number;
  lotSize?: number;
}

/** Everything a run needs besides the strategy code and the bars. */
export interface BacktestConfig {
  /** Starting cash. */
  cash: number;
  /** Fraction of traded notional charged on every fill (0.001 = 0.1 %). */
  commission: number;
  /** Overrides `commission` for limit fills. */
  makerFee?: number;
  /** Overrides `commission` for market and stop fills. */
  takerFee?: number;
  /** Adverse slippage on market and stop fills, in basis points of the price. */
  slippageBps: number;
  /** Adverse slippage in ticks (needs `instrument.tickSize`); added to `slippageBps`. */
  slippageTicks?: number;
  /** Overrides the strategy's own `fillOn`. */
  fillOn?: FillOn;
  /** Overrides of the strategy's default params. */
  params?: StrategyParams;
  instrument?: InstrumentSpec;
  /** Seed of the sandbox's `Math.random` (runs are deterministic). */
  seed?: number;
  /**
   * The first this many bars only warm the strategy up: they are fed to it with orders disabled
   * (`buy`, `sell` and `close` place nothing and return -1), so equity stays at the starting cash.
   */
  warmupBars?: number;
}

/** Sandbox limits of one run. */
export interface SandboxLimits {
  /** Isolate heap limit in MB (default 256). */
  memoryMb: number;
  /** Time the isolate may run, in ms (default 60 000). */
  timeoutMs: number;
  /** Most orders one run may place (default {@link RESULT_CAPS}.maxOrders). */
  maxOrders?: number;
  /** Most trades one run may close (default {@link RESULT_CAPS}.maxTrades). */
  maxTrades?: number;
}

/**
 * Caps on what one run produces and stores: orders and trades per run (past them the run fails
 * with a clear error), the characters of an order tag (longer tags are refused when the order is
 * placed), the JSON size of a run's params (refused before the run), and the size of a saved
 * result (a larger one is stored as its summary with a note).
 */
export const RESULT_CAPS = {
  maxOrders: 1_000_000,
  maxTrades: 1_000_000,
  maxTagChars: 64,
  maxParamsBytes: 64 * 1024,
  maxStoredResultBytes: 64 * 1024 * 1024,
} as const;

/** Default sandbox limits. */
export const DEFAULT_LIMITS: SandboxLimits = { memoryMb: 256, timeoutMs: 60_000 };

/** A closed or still-open round trip. `exitTime`/`exitPrice` are null while open. */
export interface TradeRecord {
  entryTime: number;
  entryPrice: number;
  exitTime: number | null;
  exitPrice: number | null;
  size: number;
  side: "long" | "short";
  /** Net of fees; open trades are marked at the last close. */
  pnl: number;
  /** Entry plus exit fees. */
  fees: number;
}

/** An order as recorded by the simulated broker. */
export interface OrderRecord {
  id: number;
  side: "buy" | "sell";
  type: OrderType;
  size: number;
  price: number | null;
  status: "open" | "filled" | "cancelled" | "rejected";
  /** Bar time the order was placed in. */
  placedTime: number;
  fillTime: number | null;
  fillPrice: number | null;
  fee: number;
  reason: string | null;
  tag: string | null;
  /** Id of the entry order when this is a bracket child. */
  parentId: number | null;
}

/** Performance figures. Fractions, not percent; NaN or infinite values are null. */
export interface Metrics {
  totalReturn: number | null;
  cagr: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number | null;
  /** Longest time from a peak to the recovery of that peak (or the end), in ms. */
  maxDrawdownDuration: number | null;
  winRate: number | null;
  profitFactor: number | null;
  /** Fraction of bars with an open position. */
  exposure: number | null;
  trades: number;
  buyAndHoldReturn: number | null;
}

/** What the engine inside the sandbox returns. */
export interface EngineResult {
  bars: number;
  trades: TradeRecord[];
  orders: OrderRecord[];
  /** Equity at each bar's close. */
  equity: Float64Array;
  /** 1 where a position was open at the bar's close. */
  exposure: Uint8Array;
  finalEquity: number;
  cash: number;
  logs: string[];
  /** Log lines dropped beyond the cap. */
  logsDropped: number;
  /** The params the run used (defaults merged with overrides). */
  params: StrategyParams;
}

/** A finished backtest: the engine's result plus metrics and timing. */
export interface BacktestResult extends EngineResult {
  metrics: Metrics;
  /** Milliseconds spent in the sandbox's bar loop. */
  engineMs: number;
}

/** The exact `--json` output shape of `workstation backtest`. */
export interface BacktestJson {
  bars: number;
  trades: TradeRecord[];
  finalEquity: number;
  cash: number;
  metrics: Metrics;
}

/** A saved run as listed. */
export interface SavedRunSummary {
  id: number;
  kind: "backtest" | "sweep";
  strategyName: string;
  status: string;
  startedAt: number;
  finishedAt: number | null;
  summary: unknown;
  /** The data it ran on (null on records that do not say). */
  symbol: string | null;
  timeframe: string | null;
  /** The backtest's total return (null for sweeps and failed runs). */
  totalReturn: number | null;
}

/** A saved backtest's results as stored (trades and orders empty when the result was over the storage cap). */
export interface SavedBacktestResult {
  finalEquity: number;
  cash: number;
  metrics: Metrics;
  trades: TradeRecord[];
  orders: OrderRecord[];
  /** The equity curve, thinned (null for runs saved before curves were kept). */
  equityCurve: EquityCurve | null;
}

/** A saved run read back in full. */
export interface SavedRun extends SavedRunSummary {
  /** A backtest's params; a sweep's `{ grid, holdout }`. */
  params: Record<string, unknown>;
  /** Cash, costs, fill rule and limits as run. */
  config: Record<string, unknown>;
  /** Where the bars came from (a file path or a store symbol). */
  source: string | null;
  /** Open times of the first and last bar it ran on (null when not recorded). */
  bars: { first: number; last: number } | null;
  error: string | null;
  /** Why the stored result is only a summary, when it is. */
  note: string | null;
  /** A backtest's result (null for sweeps and failed runs). */
  result: SavedBacktestResult | null;
  /** A sweep's rows (null for backtests). */
  rows: SweepRow[] | null;
}

/** A finished run as clients show it (results panel, assistant cards): what ran, on which data, and its records. */
export interface RunView {
  symbol: string;
  venue: string;
  timeframe: string;
  params: StrategyParams;
  bars: number;
  metrics: Metrics;
  trades: TradeRecord[];
  orders: OrderRecord[];
  /** Bar open times (UTC ms) and equity at each bar's close. */
  equityTime: number[];
  equity: number[];
  finalEquity: number;
  logs: string[];
}
