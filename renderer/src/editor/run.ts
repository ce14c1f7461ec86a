/**
 * Runs a backtest or a sweep of the editor's draft through core (`strategy.backtest`,
 * `strategy.sweep`) and feeds the backtest store: progress while it runs, Cancel through an
 * AbortSignal, the result, or the failure with the strategy's own line:column (compile errors
 * come as diagnostics, run-time errors as "file:line:column: …" in the message). One run at a
 * time: a request while another runs is refused (Cancel reaches only the newest call).
 */
import type { ParamsIn } from "../../../common/api/index.ts";
import { api } from "../stores/connection.ts";
import { useBacktest, type RunRequest, type RunResult } from "../stores/backtest.ts";

export type { RunRequest };
import { runFailure } from "./diagnostics.ts";

/**
 * The file name a run is saved under (its strategy name in saved runs): the saved strategy's own
 * name, or "NAME (draft)" for an unsaved draft, so a draft's runs never add to or change a
 * strategy in the library.
 */
export function runFilename(req: Pick<RunRequest, "name" | "saved">): string {
  const name = req.name.replace(/[/\\:*?"<>|]+/g, "-").replace(/\s+/g, " ").trim() || "strategy";
  return `${req.saved ? name : `${name} (draft)`}.ts`;
}

function params(req: RunRequest): ParamsIn<"strategy.backtest"> {
  return {
    source: req.source,
    filename: runFilename(req),
    data: { symbol: req.symbol, venue: req.venue, timeframe: req.timeframe },
    ...(req.from !== null ? { from: req.from } : {}),
    ...(req.to !== null ? { to: req.to } : {}),
    cash: req.cash,
    commission: req.commission,
    slippageBps: req.slippageBps,
    params: req.params,
  };
}

function fail(err: unknown): void {
  const e = err as { code?: string; message?: string; details?: unknown };
  if (e.code === "cancelled") return useBacktest.getState().setRun({ kind: "idle" });
  useBacktest.getState().setRun({ kind: "failed", ...runFailure(e.message ?? String(err), e.details) });
}

/** True while a backtest or sweep is running (a new one is refused then). */
export function isRunning(): boolean {
  return useBacktest.getState().run.kind === "running";
}

function start(label: string): AbortController {
  const abort = new AbortController();
  useBacktest.getState().setRun({ kind: "running", done: 0, total: null, message: label }, () => abort.abort());
  return abort;
}

function onProgress(p: { done: number; total?: number; message?: string }): void {
  const run = useBacktest.getState().run;
  const message = p.message ?? (run.kind === "running" ? run.message : "");
  useBacktest.getState().setRun({ kind: "running", done: p.done, total: p.total ?? null, message }, useBacktest.getState().cancel);
}

/** Runs a backtest; resolves when it finished, failed or was cancelled (at once while another runs). */
export async function runBacktest(req: RunRequest): Promise<void> {
  if (isRunning()) return;
  const abort = start(`Backtesting ${req.name} on ${req.symbol} ${req.timeframe}…`);
  try {
    const r = await api.call("strategy.backtest", params(req), { signal: abort.signal, onProgress });
    const result: RunResult = {
      id: r.runId !== null ? `run-${r.runId}` : `run-${Date.now()}`,
      label: `${req.name} · ${req.symbol} ${req.timeframe}${r.runId !== null ? ` · #${r.runId}` : ""}`,
      symbol: req.symbol,
      venue: req.venue,
      timeframe: req.timeframe,
      params: r.params,
      bars: r.bars,
      metrics: r.metrics,
      trades: r.trades,
      orders: r.orders,
      equityTime: r.time,
      equity: r.equity,
      finalEquity: r.finalEquity,
      logs: r.logs,
      settings: { cash: req.cash, commission: req.commission, slippageBps: req.slippageBps, from: req.from, to: req.to },
      request: req,
    };
    useBacktest.getState().setResult(result);
  } catch (err) {
    fail(err);
  }
}

/** Runs a sweep over `grid` (param → values); the rows land in the backtest store. */
export async function runSweep(req: RunRequest, grid: Record<string, Array<number | boolean | string>>): Promise<void> {
  if (isRunning()) return;
  const abort = start(`Sweeping ${req.name} on ${req.symbol} ${req.timeframe}…`);
  try {
    const r = await api.call("strategy.sweep", { ...params(req), grid }, { signal: abort.signal, onProgress });
    const figures = { trials: r.trials, dsr: r.dsr, pbo: r.pbo, holdoutLooks: r.holdoutLooks };
    useBacktest.getState().setSweep({ label: `${req.name} · ${req.symbol} ${req.timeframe} sweep`, request: req, rows: r.rows, grid, figures });
  } catch (err) {
    fail(err);
  }
}

/** Walks the grid forward over `folds` folds (rolling, ratio 3, best Sharpe); the result opens the Robustness tab. */
export async function runWalkForward(req: RunRequest, grid: Record<string, Array<number | boolean | string>>, folds: number): Promise<void> {
  if (isRunning()) return;
  const abort = start(`Walk-forward of ${req.name}, ${folds} folds…`);
  try {
    const result = await api.call("robustness.walkforward", { ...params(req), grid, folds, objective: "sharpe" }, { signal: abort.signal, onProgress });
    useBacktest.getState().setRobustness({ kind: "walkforward", label: `${req.name} · ${req.symbol} ${req.timeframe} walk-forward`, result });
  } catch (err) {
    fail(err);
  }
}

/** A Monte Carlo (1000 runs, seed 1) of the run `req` makes; the result opens the Robustness tab. */
export async function runMonteCarlo(req: RunRequest, method: "shuffle" | "skip" | "bootstrap" | "costs"): Promise<void> {
  if (isRunning()) return;
  const abort = start(`Monte Carlo (${method}) of ${req.name}…`);
  try {
    const result = await api.call("robustness.montecarlo", { ...params(req), method, runs: 1000 }, { signal: abort.signal, onProgress });
    useBacktest.getState().setRobustness({ kind: "montecarlo", label: `${req.name} · ${req.symbol} ${req.timeframe} Monte Carlo`, result });
  } catch (err) {
    fail(err);
  }
}
