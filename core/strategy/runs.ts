/**
 * Saved backtest runs: the record kept for every run and sweep (strategy version, params, data
 * range, data hash, gaps, engine version, results) and the repository interface that stores them.
 * `runs-sqlite.ts` implements it on the app database.
 */
import type { StrategyParams } from "../../common/strategy/api.ts";
import type { EquityCurve } from "../../common/strategy/equity-curve.ts";
import { savedResultHead, savedResultMiddle, savedResultTail } from "../../common/strategy/saved-result.ts";
import type { SavedBodyGzip } from "../../common/worker/methods.ts";
import type { SavedBacktestResult, SavedRun, SavedRunSummary } from "../../common/strategy/results.ts";
import type { ParamGrid, SweepRow } from "../../common/strategy/sweep.ts";
import type { DataFacts } from "./data.ts";

/** Where a run's bars came from. */
export interface RunDataSource {
  /** A file path, or a store symbol. */
  source: string;
  symbol: string;
  timeframe: string | null;
  facts: DataFacts;
}

/** What is saved for one backtest. */
export interface BacktestRunRecord {
  kind: "backtest";
  /** The strategy's name (its file name without extension). */
  strategyName: string;
  strategySource: string;
  strategyHash: string;
  engineVersion: string;
  params: StrategyParams;
  data: RunDataSource;
  /** Cash, commission, slippage, fill rule, etc. as run. */
  config: Record<string, unknown>;
  startedAt: number;
  finishedAt: number;
  /** null when the run succeeded. */
  error: string | null;
  /**
   * The results; `equityCurve` thinned by `thinEquityCurve` (common/strategy/equity-curve.ts). Or
   * already serialised ({@link SavedResultText}: the CLI stores the worker's JSON texts as they are).
   */
  result: SavedBacktestResult | SavedResultText | null;
}

/**
 * A {@link SavedBacktestResult} as its JSON text (exactly `JSON.stringify` of it), or that text
 * gzipped (`gzip`, one or more gzip members, and the text's length in bytes), with the fields a
 * run's summary shows.
 */
export type SavedResultText = ({ json: string } | { gzip: Uint8Array; jsonBytes: number }) & {
  finalEquity: number;
  metrics: SavedBacktestResult["metrics"];
};

/**
 * A run's saved result: the worker's gzipped text when it sent one (`saved`), else the JSON text
 * (see common/strategy/saved-result.ts) with the trades' and orders' texts spliced in as the
 * sandbox wrote them.
 */
export function savedResultText(
  r: Pick<SavedBacktestResult, "finalEquity" | "cash" | "metrics"> & { tradesJson: string; ordersJson: string | null; saved: SavedBodyGzip | null },
  equityCurve: EquityCurve,
): SavedResultText {
  const summary = { finalEquity: r.finalEquity, metrics: r.metrics };
  if (r.saved !== null) return { ...r.saved, ...summary };
  if (r.ordersJson === null) throw new Error("internal: a run's result without its orders");
  return { json: savedResultHead(r) + savedResultMiddle(r.tradesJson, r.ordersJson) + savedResultTail(equityCurve), ...summary };
}

/** What is saved for one sweep. */
export interface SweepRunRecord {
  kind: "sweep";
  strategyName: string;
  strategySource: string;
  strategyHash: string;
  engineVersion: string;
  grid: ParamGrid;
  holdout: number;
  data: RunDataSource;
  config: Record<string, unknown>;
  startedAt: number;
  finishedAt: number;
  rows: SweepRow[];
}

export type { SavedRun, SavedRunSummary };

/** Stores runs. */
export interface BacktestRunRepository {
  /** Saves a run; returns its id. */
  save(record: BacktestRunRecord | SweepRunRecord): number;
  /** Most recent runs first. */
  list(limit: number): SavedRunSummary[];
  /** One run in full; null when there is no run `id`. */
  get(id: number): SavedRun | null;
}
