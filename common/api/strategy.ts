/**
 * The `strategy.*` part of the API map: the editor's declarations, type-checking, backtests and
 * sweeps in the sandboxed workers (with progress, cancellable), and the saved runs.
 */
import { z } from "zod";
import { TIMEFRAMES, type Timeframe } from "../market/bars.ts";
import type { CompileDiagnostic } from "../strategy/errors.ts";
import type { BacktestJson, OrderRecord, SavedRun, SavedRunSummary } from "../strategy/results.ts";
import type { StrategyParams } from "../strategy/api.ts";
import type { SweepRow } from "../strategy/sweep.ts";
import { method } from "./define.ts";

const timeframe = z.enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]]);
const paramValue = z.union([z.number(), z.boolean(), z.string().max(1000)]);
const fraction = z.number().min(0).max(0.5);

/** Where a run's bars come from: a CSV/Parquet file (with the bar length of a trades file), or a symbol in the store. */
const data = z.union([
  z.object({ file: z.string().min(1).max(4096), timeframe: timeframe.optional() }),
  z.object({ symbol: z.string().min(1).max(64), venue: z.string().max(32).optional(), timeframe: timeframe.default("1m") }),
]);

/** Everything one backtest needs. */
const run = z.object({
  source: z.string().max(1_000_000),
  filename: z.string().min(1).max(200).default("strategy.ts"),
  data,
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  cash: z.number().positive().max(1e15).default(100_000),
  commission: fraction.default(0),
  makerFee: z.number().min(-0.01).max(0.5).optional(),
  takerFee: fraction.optional(),
  slippageBps: z.number().min(0).max(10_000).default(0),
  slippageTicks: z.number().min(0).max(1e6).optional(),
  tickSize: z.number().positive().optional(),
  lotSize: z.number().positive().optional(),
  fillOn: z.enum(["open", "close"]).optional(),
  params: z.record(z.string(), paramValue).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  memoryMb: z.number().int().min(16).max(8192).optional(),
  timeoutMs: z.number().int().min(10).max(86_400_000).optional(),
  typecheck: z.boolean().default(true),
  save: z.boolean().default(true),
  /** False: `equity` and `time` come back empty (the CLI prints neither; 1M bars are ~40 MB of JSON). */
  series: z.boolean().default(true),
  /** False: `orders` comes back empty (the CLI prints none; the saved run keeps them). */
  orders: z.boolean().default(true),
  /**
   * True: the trades come as their JSON text (`tradesJson`, exactly `JSON.stringify` of the trades)
   * and `trades` empty: the CLI prints that text as it is, so neither core nor the CLI parses and
   * re-serialises a run's trades.
   */
  tradesText: z.boolean().optional(),
});

/** The params of one run (strategy, data, range, costs, limits), for other APIs that run strategies. */
export const runRequest = run;

/** A finished backtest as the UI receives it (the CLI's `--json` shape plus the rest). */
export interface BacktestRunResult extends BacktestJson {
  orders: OrderRecord[];
  /** Equity at each bar's close, and the bar times. */
  equity: number[];
  time: number[];
  logs: string[];
  logsDropped: number;
  params: StrategyParams;
  engineMs: number;
  /** Id of the saved run, null when not saved. */
  runId: number | null;
  /** With `tradesText`: the trades' JSON text (`trades` is then empty). */
  tradesJson?: string;
}

/** A finished sweep, with its overfitting statistics (see docs/robustness.md). */
export interface SweepRunResult {
  rows: SweepRow[];
  runId: number | null;
  /** Combinations tried. */
  trials: number;
  /** Deflated Sharpe ratio of the best in-sample Sharpe; null when none has one. */
  dsr: number | null;
  /** Probability of backtest overfitting (CSCV, 16 blocks); null with fewer than two usable combinations. */
  pbo: number | null;
  /** Looks at this strategy version's holdout on this data, this one included (0 without a holdout). */
  holdoutLooks: number;
}

/** Requests served by the strategy runtime. Strategy errors are `bad_request` with `details`. */
export const strategyApi = {
  "strategy.dts": method(z.object({})).returns<{ dts: string }>(),
  "strategy.check": method(z.object({ source: z.string().max(1_000_000), filename: z.string().min(1).max(200).default("strategy.ts") })).returns<{
    diagnostics: CompileDiagnostic[];
  }>(),
  "strategy.backtest": method(run).returns<BacktestRunResult>(),
  "strategy.sweep": method(
    run.extend({
      grid: z.record(z.string(), z.array(paramValue).min(1).max(10_000)),
      holdout: z.number().min(0).max(0.9).default(0),
    }),
  ).returns<SweepRunResult>(),
  "strategy.runs": method(z.object({ limit: z.number().int().min(1).max(1000).default(50) })).returns<SavedRunSummary[]>(),
  /** One saved run in full (its trades, orders and thinned equity curve); `not_found` when there is none. */
  "strategy.run": method(z.object({ id: z.number().int().min(1) })).returns<SavedRun>(),
};
