/**
 * The core↔worker link as one typed method map (like the API map): each worker method's params and
 * result. `WorkerPool.call` is typed by it and the worker registry is checked against it, so core
 * and worker cannot drift apart on a method's shape.
 */
import type { BarColumns } from "../market/bars.ts";
import type { StrategyParams } from "../strategy/api.ts";
import type { BarsFileRef } from "../strategy/bars-file.ts";
import type { RecordsJson } from "../strategy/engine/sandbox-entry.ts";
import type { SessionConfig, SessionStepResult } from "../strategy/engine/session.ts";
import type { EquityCurve } from "../strategy/equity-curve.ts";
import type { BacktestConfig, BacktestResult, SandboxLimits } from "../strategy/results.ts";
import type { SweepRow } from "../strategy/sweep.ts";

/** A compiled strategy as a worker receives it. */
export interface WorkerStrategyCode {
  code: string;
  sourceMap: string | null;
  filename: string;
}

/** `strategy.backtest`'s params. */
export interface WorkerBacktest extends WorkerStrategyCode {
  bars: BarColumns | BarsFileRef;
  config: BacktestConfig;
  limits: SandboxLimits;
  /**
   * Only the thinned equity curve of a saved run is wanted (`thinEquityCurve`): the worker thins
   * it and sends it instead of the per-bar equity and exposure, which then come back empty.
   */
  thinCurve?: boolean;
  /**
   * With `thinCurve`: the worker also writes the saved run's result (`saved-result.ts`) and gzips it
   * (the trades and orders while it computes the metrics), and sends that instead of the orders' text.
   */
  savedBody?: boolean;
}

/** A saved run's result as JSON text gzipped (gzip members in order), and the text's length in bytes. */
export interface SavedBodyGzip {
  gzip: Uint8Array;
  jsonBytes: number;
}

/** `session.start`'s params: a session id (core's), the strategy and how it starts. */
export interface WorkerSessionStart extends WorkerStrategyCode {
  id: string;
  config: SessionConfig;
  limits: SandboxLimits;
  seed?: number;
}

/** `session.step`'s params: `json` is `{ bar, events, warm }` (one string crosses cheaper than objects). */
export interface WorkerSessionStep {
  id: string;
  json: string;
}

/**
 * `strategy.backtest`'s result as it crosses the IPC channel: the records (trades, orders, log
 * lines, ...) as the sandbox's JSON texts (a 1M-bar run's ~60k record objects cost ~0.2 s to
 * serialise and rebuild as objects, a string a copy and one `JSON.parse`); core's runner turns them
 * back into a {@link BacktestResult}, the CLI prints and stores the trades' and orders' texts as
 * they are.
 */
export type WorkerBacktestResult = Pick<BacktestResult, "equity" | "exposure" | "metrics" | "engineMs"> & {
  /** The orders' text is null when `saved` carries them. */
  records: Omit<RecordsJson, "orders"> & { orders: string | null };
  equityCurve?: EquityCurve;
  saved?: SavedBodyGzip;
};

/** Every worker method: params and result. */
export interface WorkerMethodMap {
  echo: { params: { value?: unknown }; result: { value: unknown; workerPid: number } };
  "bars.load": { params: BarsFileRef; result: { bars: number; first: number | null; last: number | null } };
  "bars.reserve": { params: { bars: number }; result: { bytes: number } };
  /** Waits until the worker's spare sandbox is ready (or not being made); `ready`: whether there is one. */
  "strategy.spareReady": { params: Record<string, never>; result: { ready: boolean } };
  "strategy.backtest": { params: WorkerBacktest; result: WorkerBacktestResult };
  "strategy.sweepBatch": { params: WorkerBacktest & { combos: { index: number; params: StrategyParams }[]; split: number }; result: SweepRow[] };
  "session.start": { params: WorkerSessionStart; result: { params: StrategyParams; workerPid: number } };
  "session.step": { params: WorkerSessionStep; result: SessionStepResult };
  "session.stop": { params: { id: string }; result: { stopped: boolean } };
}

/** A worker method's name. */
export type WorkerMethodName = keyof WorkerMethodMap;
