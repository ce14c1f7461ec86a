/**
 * Backtest runs started from the editor: the form's values, the running call (progress, cancel),
 * the latest result (shown in the results panel and as markers on the chart), an earlier result
 * kept for side-by-side comparison, and the failure reason when a run fails.
 */
import { create } from "zustand";
import type { Timeframe } from "../../../common/market/bars.ts";
import type { StrategyParams } from "../../../common/strategy/api.ts";
import type { Metrics, OrderRecord, TradeRecord } from "../../../common/strategy/results.ts";

/** A finished run as the UI shows it. */
export interface RunResult {
  id: string;
  label: string;
  symbol: string;
  venue: string;
  timeframe: Timeframe;
  params: StrategyParams;
  bars: number;
  metrics: Metrics;
  trades: TradeRecord[];
  orders: OrderRecord[];
  /** Bar times (UTC ms) and equity at each bar's close. */
  equityTime: number[];
  equity: number[];
  finalEquity: number;
  logs: string[];
}

/** A compile error or run-time error at the strategy's own line. */
export interface RunDiagnostic {
  line: number;
  column: number;
  message: string;
}

/** The state of the run being made. */
export type RunState =
  | { kind: "idle" }
  | { kind: "running"; done: number; total: number | null; message: string }
  | { kind: "failed"; message: string; diagnostics: RunDiagnostic[] };

interface BacktestStore {
  run: RunState;
  result: RunResult | null;
  /** The run to compare with (the previous result by default). */
  compare: RunResult | null;
  cancel: (() => void) | null;
  setResult(result: RunResult): void;
  setRun(run: RunState, cancel?: (() => void) | null): void;
  setCompare(result: RunResult | null): void;
}

/** The backtest store. */
export const useBacktest = create<BacktestStore>((set) => ({
  run: { kind: "idle" },
  result: null,
  compare: null,
  cancel: null,
  setResult: (result) => set((s) => ({ result, compare: s.result ?? s.compare, run: { kind: "idle" }, cancel: null })),
  setRun: (run, cancel = null) => set({ run, cancel }),
  setCompare: (compare) => set({ compare }),
}));
