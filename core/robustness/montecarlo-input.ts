/**
 * Where a Monte Carlo's input comes from: a saved backtest run (its trades, cash, data range and
 * slippage from the app database; there is no stored equity curve, so the bootstrap resamples
 * the per-trade returns) or a fresh backtest result (per-bar returns from its equity curve).
 */
import type Database from "better-sqlite3";
import type { MonteCarloInput } from "../../common/robustness/montecarlo.ts";
import type { BacktestConfig, BacktestResult, TradeRecord } from "../../common/strategy/results.ts";
import { storedBodyText } from "../strategy/runs-sqlite.ts";

/** Per-bar returns of an equity curve started from `cash` (as the metrics define them). */
export function equityReturns(cash: number, equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let prev = cash;
  for (let i = 0; i < equity.length; i++) {
    out[i] = equity[i]! / prev - 1;
    prev = equity[i]!;
  }
  return out;
}

/** Per-trade returns: each trade's P&L over the closed-trade equity before it, in exit order. */
export function tradeReturns(cash: number, trades: readonly TradeRecord[]): Float64Array {
  const ordered = trades.slice().sort((a, b) => (a.exitTime ?? Number.POSITIVE_INFINITY) - (b.exitTime ?? Number.POSITIVE_INFINITY));
  const out = new Float64Array(ordered.length);
  let equity = cash;
  ordered.forEach((t, i) => {
    out[i] = equity > 0 ? t.pnl / equity : 0;
    equity += t.pnl;
  });
  return out;
}

/** The input from a finished backtest over bars spanning `startTime`..`endTime`. */
export function inputFromResult(result: BacktestResult, config: BacktestConfig, startTime: number, endTime: number): MonteCarloInput {
  return { startCash: config.cash, startTime, endTime, trades: result.trades, returns: equityReturns(config.cash, result.equity), slippageBps: config.slippageBps };
}

/** Why a saved run cannot be used. */
export class SavedRunError extends Error {}

/** The input from saved backtest run `id`; throws {@link SavedRunError} when there is none (or it is a sweep or failed). */
export function inputFromSavedRun(db: Database.Database, id: number): MonteCarloInput {
  const run = db
    .prepare<[number], { status: string; data_source: string; format: string | null; body: Buffer | null }>(
      "SELECT r.status, r.data_source, b.format, b.body FROM backtest_runs r LEFT JOIN backtest_results b ON b.run_id = r.id WHERE r.id = ?",
    )
    .get(id);
  if (!run) throw new SavedRunError(`no saved run with id ${id} (see the runs in the results panel)`);
  if (run.status === "sweep") throw new SavedRunError(`run ${id} is a sweep; give a backtest run`);
  if (run.status !== "done" || run.body === null) throw new SavedRunError(`run ${id} has no result (status ${run.status})`);
  const body = JSON.parse(storedBodyText(run.format, run.body)) as { trades: TradeRecord[]; tradeCount?: number };
  if (body.tradeCount !== undefined && body.trades.length === 0) throw new SavedRunError(`run ${id} was saved without its trades (over the storage cap)`);
  const source = JSON.parse(run.data_source) as { facts?: { from?: number | null; to?: number | null }; config?: { cash?: number; slippageBps?: number } };
  const cash = source.config?.cash ?? 100_000;
  return {
    startCash: cash,
    startTime: source.facts?.from ?? 0,
    endTime: source.facts?.to ?? 0,
    trades: body.trades,
    returns: tradeReturns(cash, body.trades),
    slippageBps: source.config?.slippageBps ?? 0,
  };
}
