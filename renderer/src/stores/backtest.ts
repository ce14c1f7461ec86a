/**
 * Backtest runs started from the editor: the form's values, the running call (progress, cancel),
 * the latest result (shown in the results panel and as markers on the chart), an earlier result
 * kept for side-by-side comparison, and the failure reason when a run fails.
 */
import { create } from "zustand";
import type { Timeframe } from "../../../common/market/bars.ts";
import type { StrategyParams } from "../../../common/strategy/api.ts";
import type { RunView } from "../../../common/strategy/results.ts";
import type { SweepRow } from "../../../common/strategy/sweep.ts";

/** A finished run as the UI shows it. */
export interface RunResult extends Omit<RunView, "timeframe"> {
  id: string;
  label: string;
  timeframe: Timeframe;
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

/** What the run form asks for. */
export interface RunRequest {
  name: string;
  source: string;
  symbol: string;
  venue: string;
  timeframe: Timeframe;
  /** UTC ms, inclusive; null = from the first bar. */
  from: number | null;
  /** UTC ms, exclusive; null = to the last bar. */
  to: number | null;
  cash: number;
  commission: number;
  slippageBps: number;
  params: StrategyParams;
}

/** A finished sweep: one row per parameter combination. */
export interface SweepResult {
  label: string;
  request: RunRequest;
  rows: SweepRow[];
}

interface BacktestStore {
  run: RunState;
  result: RunResult | null;
  /** The run to compare with (the previous result by default). */
  compare: RunResult | null;
  cancel: (() => void) | null;
  sweep: SweepResult | null;
  setSweep(sweep: SweepResult | null): void;
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
  sweep: null,
  setSweep: (sweep) => set({ sweep, run: { kind: "idle" }, cancel: null }),
  setResult: (result) => set((s) => ({ result, compare: s.result ?? s.compare, run: { kind: "idle" }, cancel: null })),
  setRun: (run, cancel = null) => set({ run, cancel }),
  setCompare: (compare) => set({ compare }),
}));
