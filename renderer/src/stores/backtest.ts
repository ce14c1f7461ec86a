/**
 * Backtest runs started from the editor: the form's values, the running call (progress, cancel),
 * the latest result (shown in the results panel and as markers on the chart), an earlier result
 * kept for side-by-side comparison, and the failure reason when a run fails. A sweep and a single
 * result share the results panel: a new result hides the sweep (kept to go back to it).
 */
import { create } from "zustand";
import type { Timeframe } from "../../../common/market/bars.ts";
import type { StrategyParams } from "../../../common/strategy/api.ts";
import type { RunView } from "../../../common/strategy/results.ts";
import type { SweepRow } from "../../../common/strategy/sweep.ts";
import type { MonteCarloResult } from "../../../common/robustness/montecarlo.ts";
import type { OverfittingFigures } from "../../../common/robustness/reading.ts";
import type { WalkForwardResult } from "../../../common/robustness/walkforward.ts";

/** The run settings besides the strategy and its params (shown with the result). */
export interface RunSettings {
  cash: number;
  /** A fraction of the traded notional per fill (0.001 = 0.1 %). */
  commission: number;
  slippageBps: number;
  /** UTC ms, inclusive; null = from the first bar. */
  from: number | null;
  /** UTC ms, exclusive; null = to the last bar. */
  to: number | null;
}

/** A finished run as the UI shows it. */
export interface RunResult extends Omit<RunView, "timeframe"> {
  id: string;
  label: string;
  timeframe: Timeframe;
  /** What the run form sent; absent for runs made elsewhere (the assistant). */
  settings?: RunSettings;
  /** The request that made it (for Monte Carlo of the same run); absent for runs made elsewhere. */
  request?: RunRequest;
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
export interface RunRequest extends RunSettings {
  name: string;
  /** True when the draft is a saved strategy unchanged (its runs are saved under its name). */
  saved?: boolean;
  source: string;
  symbol: string;
  venue: string;
  timeframe: Timeframe;
  params: StrategyParams;
}

/** A finished sweep: one row per parameter combination. */
export interface SweepResult {
  label: string;
  request: RunRequest;
  rows: SweepRow[];
  /** The grid swept (for a walk-forward of the same grid). */
  grid?: Record<string, Array<number | boolean | string>>;
  /** Trials, DSR, PBO and holdout looks (see docs/robustness.md). */
  figures?: OverfittingFigures & { holdoutLooks: number };
}

/** A finished robustness run shown in the Robustness tab. */
export type RobustnessResult =
  | { kind: "walkforward"; label: string; result: WalkForwardResult }
  | { kind: "montecarlo"; label: string; result: MonteCarloResult };

interface BacktestStore {
  run: RunState;
  result: RunResult | null;
  /** The run to compare with (the previous result by default). */
  compare: RunResult | null;
  cancel: (() => void) | null;
  sweep: SweepResult | null;
  /** The last sweep while a single result is shown instead ("Back to sweep"). */
  hiddenSweep: SweepResult | null;
  /** Why the last run request was refused (an invalid form), until the next run or a valid form. */
  notice: string | null;
  /** Params a sweep row asked the run form to take (the form clears it once taken). */
  formParams: StrategyParams | null;
  applyParams(params: StrategyParams | null): void;
  /** The latest walk-forward or Monte Carlo, shown in the Robustness tab until closed. */
  robustness: RobustnessResult | null;
  setRobustness(robustness: RobustnessResult | null): void;
  /** A finished sweep: shown, and the run is over. */
  setSweep(sweep: SweepResult): void;
  /** Hides the sweep (it stays behind "Back to sweep"); a run in progress goes on. */
  hideSweep(): void;
  showSweep(): void;
  setNotice(notice: string | null): void;
  setResult(result: RunResult): void;
  setRun(run: RunState, cancel?: (() => void) | null): void;
  setCompare(result: RunResult | null): void;
  /** Shows a reopened saved run (and the one to compare it with): the result, nothing running hidden. */
  showSaved(result: RunResult, compare: RunResult | null): void;
}

/** The backtest store. */
export const useBacktest = create<BacktestStore>((set) => ({
  run: { kind: "idle" },
  result: null,
  compare: null,
  cancel: null,
  sweep: null,
  hiddenSweep: null,
  notice: null,
  formParams: null,
  applyParams: (formParams) => set({ formParams }),
  robustness: null,
  setRobustness: (robustness) => set(robustness === null ? { robustness } : { robustness, run: { kind: "idle" }, cancel: null }),
  setSweep: (sweep) => set({ sweep, hiddenSweep: null, run: { kind: "idle" }, cancel: null }),
  hideSweep: () => set((s) => ({ sweep: null, hiddenSweep: s.sweep ?? s.hiddenSweep })),
  showSweep: () => set((s) => ({ sweep: s.sweep ?? s.hiddenSweep, hiddenSweep: null })),
  setNotice: (notice) => set({ notice }),
  setResult: (result) =>
    set((s) => ({ result, compare: s.result ?? s.compare, sweep: null, hiddenSweep: s.sweep ?? s.hiddenSweep, run: { kind: "idle" }, cancel: null })),
  setRun: (run, cancel = null) => set(run.kind === "running" ? { run, cancel, notice: null } : { run, cancel }),
  setCompare: (compare) => set({ compare }),
  showSaved: (result, compare) => set((s) => ({ result, compare, sweep: null, hiddenSweep: s.sweep ?? s.hiddenSweep })),
}));
