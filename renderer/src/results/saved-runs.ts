/**
 * Past runs in the UI: a saved run (`strategy.run`) as a result the results panel shows, opening
 * one, and comparing two (the first as the result, the second as the compared run: metrics side
 * by side, equity curves overlaid). Sweeps and failed runs have no single result to open.
 */
import type { Timeframe } from "../../../common/market/bars.ts";
import type { StrategyParams } from "../../../common/strategy/api.ts";
import type { SavedRun } from "../../../common/strategy/results.ts";
import { api } from "../stores/connection.ts";
import { useBacktest, type RunResult, type RunSettings } from "../stores/backtest.ts";
import { isTimeframe } from "../stores/chart.ts";

/** The venue of a run on stored data ("venue:symbol" sources), else "local". */
function venueOf(run: SavedRun): string {
  const suffix = `:${run.symbol ?? ""}`;
  return run.source !== null && run.symbol !== null && run.source.endsWith(suffix) ? run.source.slice(0, -suffix.length) : "local";
}

/** The run's cash and costs, and its range (the last bar's time + 1 as the exclusive end). */
function settingsOf(run: SavedRun): RunSettings | undefined {
  const { cash, commission, slippageBps } = run.config;
  if (typeof cash !== "number" || typeof commission !== "number" || typeof slippageBps !== "number") return undefined;
  return { cash, commission, slippageBps, from: run.bars?.first ?? null, to: run.bars ? run.bars.last + 1 : null };
}

/** The label of a saved run: "NAME · SYMBOL TF · #ID". */
export function savedRunLabel(run: Pick<SavedRun, "id" | "strategyName" | "symbol" | "timeframe">): string {
  return `${run.strategyName} · ${run.symbol ?? "?"} ${run.timeframe ?? ""}`.trimEnd() + ` · #${run.id}`;
}

/** A saved backtest as a result; null for sweeps and runs without a result (failed). */
export function savedRunResult(run: SavedRun): RunResult | null {
  const r = run.result;
  if (run.kind !== "backtest" || r === null) return null;
  const settings = settingsOf(run);
  return {
    id: `run-${run.id}`,
    label: savedRunLabel(run),
    symbol: run.symbol ?? "",
    venue: venueOf(run),
    timeframe: isTimeframe(run.timeframe) ? run.timeframe : ("1d" satisfies Timeframe),
    params: run.params as StrategyParams,
    bars: r.equityCurve?.time.length ?? 0,
    metrics: r.metrics,
    trades: r.trades,
    orders: r.orders,
    equityTime: r.equityCurve?.time ?? [],
    equity: r.equityCurve?.equity ?? [],
    finalEquity: r.finalEquity,
    logs: run.note ? [run.note] : [],
    ...(settings ? { settings } : {}),
  };
}

async function loadResult(id: number): Promise<RunResult> {
  const run = await api.call("strategy.run", { id });
  const result = savedRunResult(run);
  if (!result) throw new Error(`run #${id} has no backtest result to open (${run.kind === "sweep" ? "a sweep" : run.error ?? run.status})`);
  return result;
}

/** Opens saved run `id` in the results panel. */
export async function openSavedRun(id: number): Promise<void> {
  const result = await loadResult(id);
  useBacktest.getState().showSaved(result, null);
}

/** Shows saved run `a` beside saved run `b` (metrics side by side, equity overlaid). */
export async function compareSavedRuns(a: number, b: number): Promise<void> {
  const [first, second] = await Promise.all([loadResult(a), loadResult(b)]);
  useBacktest.getState().showSaved(first, second);
}
