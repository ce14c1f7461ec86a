/**
 * The strategy tools: `write_strategy` (transpile + type-check before saving; compiler errors
 * with line:column go back to the model, which gets up to 3 repair rounds), `run_backtest` and
 * `run_sweep` (both run in the sandbox through the strategy runtime). Generated code never runs
 * anywhere else.
 */
import type { StrategyDiagnostic } from "../../../common/api/assistant.ts";
import type { BacktestOutcome, SweepOutcome } from "../backend.ts";
import { fitRows } from "./quote.ts";
import { type ToolContext, type ToolRun, ToolInputError, failure, isoTime, parseIsoDate, success } from "./context.ts";
import type { ToolArgs } from "./schemas.ts";

/** Repair rounds after a failed type-check. */
export const MAX_REPAIR_ROUNDS = 3;
/** Combinations a sweep may have. */
export const MAX_SWEEP_COMBINATIONS = 200;

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,79}$/;

/** `line:column message` lines. */
export function formatDiagnostics(diagnostics: readonly StrategyDiagnostic[]): string {
  return diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join("; ");
}

/** `write_strategy {name, code}`. */
export async function writeStrategy(args: ToolArgs<"write_strategy">, ctx: ToolContext): Promise<ToolRun> {
  const name = args.name.trim();
  if (!NAME.test(name)) return failure("write_strategy", "the name may use letters, digits, spaces, '-', '_' and '.', starting with a letter or digit");
  if (ctx.state.failedWrites > MAX_REPAIR_ROUNDS) {
    return failure("write_strategy", `refused: the type-check failed ${ctx.state.failedWrites} times and all ${MAX_REPAIR_ROUNDS} repair rounds are used; explain the remaining errors to the user instead`);
  }
  const diagnostics = await ctx.backend.checkStrategy(name, args.code, ctx.signal);
  if (diagnostics.length > 0) {
    ctx.state.failedWrites++;
    const left = MAX_REPAIR_ROUNDS + 1 - ctx.state.failedWrites;
    const next =
      left > 0
        ? `Nothing was saved. Fix these errors and call write_strategy again with the whole module (${left} repair round${left === 1 ? "" : "s"} left).`
        : "Nothing was saved and no repair rounds are left: do not call write_strategy again; tell the user what is still wrong.";
    const shown = diagnostics.slice(0, 30);
    return failure(
      "write_strategy",
      `type-check failed: ${formatDiagnostics(shown)}`,
      { errors: shown.map((d) => ({ line: d.line, column: d.column, message: d.message })), next },
      { kind: "strategy", name, version: null, code: args.code, diagnostics: shown },
    );
  }
  const saved = await ctx.backend.saveStrategy(name, args.code, ctx.signal);
  ctx.state.failedWrites = 0;
  ctx.state.strategies.push(name);
  return success(
    "write_strategy",
    { saved: true, name, version: saved.version, note: "Type-check passed; the strategy is saved and open in the user's editor. Use run_backtest to test it." },
    { kind: "strategy", name, version: saved.version, code: args.code, diagnostics: [] },
  );
}

function dateRange(args: { from?: string | undefined; to?: string | undefined }): { from?: number; to?: number } {
  const from = parseIsoDate(args.from, "from");
  const to = parseIsoDate(args.to, "to");
  if (from !== undefined && to !== undefined && from >= to) throw new ToolInputError("from must be before to");
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** The short trade summary the model reads. */
export function tradeSummary(outcome: BacktestOutcome): Record<string, unknown> {
  const closed = outcome.trades.filter((t) => t.exitTime !== null);
  const wins = closed.filter((t) => t.pnl > 0).length;
  const compact = (t: BacktestOutcome["trades"][number]): unknown[] => [t.side, isoTime(t.entryTime), t.entryPrice, isoTime(t.exitTime), t.exitPrice, t.size, Number(t.pnl.toFixed(2))];
  const pnls = closed.map((t) => t.pnl);
  return {
    count: outcome.trades.length,
    closed: closed.length,
    open: outcome.trades.length - closed.length,
    wins,
    losses: closed.length - wins,
    bestPnl: pnls.length ? Math.max(...pnls) : null,
    worstPnl: pnls.length ? Math.min(...pnls) : null,
    columns: ["side", "entryTime", "entryPrice", "exitTime", "exitPrice", "size", "pnl"],
    first: outcome.trades.slice(0, 5).map(compact),
    last: outcome.trades.length > 5 ? outcome.trades.slice(-5).map(compact) : [],
  };
}

/** `run_backtest {strategy, symbol, timeframe, from?, to?, params?, cash?}`. */
export async function runBacktest(args: ToolArgs<"run_backtest">, ctx: ToolContext): Promise<ToolRun> {
  const range = dateRange(args);
  const symbol = args.symbol.toUpperCase();
  const outcome = await ctx.backend.backtest(
    { strategy: args.strategy, symbol, timeframe: args.timeframe, ...range, ...(args.params ? { params: args.params } : {}), ...(args.cash !== undefined ? { cash: args.cash } : {}) },
    ctx.signal,
    ctx.onProgress,
  );
  ctx.state.backtests.push({ strategy: args.strategy, metrics: outcome.metrics });
  const payload = {
    strategy: args.strategy,
    symbol,
    timeframe: args.timeframe,
    bars: outcome.bars,
    finalEquity: outcome.finalEquity,
    metrics: outcome.metrics,
    metricsNote: "fractions, not percent (0.12 = 12 %); maxDrawdownDuration in ms",
    ...(outcome.costs ? { costs: outcome.costs, costsNote: "the run form's cash and costs: commission a fraction per fill, slippage in basis points; say them with the results" } : {}),
    trades: tradeSummary(outcome),
    ...(outcome.logs?.length ? { strategyLog: outcome.logs.slice(0, 20) } : {}),
  };
  return success("run_backtest", payload, {
    kind: "backtest",
    strategy: args.strategy,
    symbol,
    timeframe: args.timeframe,
    runId: outcome.runId,
    resultId: outcome.resultId ?? null,
    bars: outcome.bars,
    metrics: outcome.metrics,
    trades: outcome.trades.length,
    ...(outcome.costs ? { costs: outcome.costs } : {}),
  });
}

function rankKey(row: SweepOutcome["rows"][number]): number {
  const v = row.metrics?.sharpe ?? row.metrics?.totalReturn ?? null;
  return v === null ? -Infinity : v;
}

/** `run_sweep {strategy, symbol, timeframe, grid, from?, to?}`. */
export async function runSweep(args: ToolArgs<"run_sweep">, ctx: ToolContext): Promise<ToolRun> {
  const combinations = Object.values(args.grid).reduce((n, values) => n * values.length, 1);
  if (Object.keys(args.grid).length === 0) return failure("run_sweep", "the grid is empty");
  if (combinations > MAX_SWEEP_COMBINATIONS) {
    return failure("run_sweep", `the grid has ${combinations} combinations; at most ${MAX_SWEEP_COMBINATIONS} are allowed`);
  }
  const range = dateRange(args);
  const symbol = args.symbol.toUpperCase();
  const outcome = await ctx.backend.sweep({ strategy: args.strategy, symbol, timeframe: args.timeframe, grid: args.grid, ...range }, ctx.signal, ctx.onProgress);
  const ranked = [...outcome.rows].sort((a, b) => rankKey(b) - rankKey(a));
  const failed = ranked.filter((r) => r.error !== undefined).length;
  const fitted = fitRows(ranked, (rows) => ({ rows }));
  const payload = { strategy: args.strategy, symbol, timeframe: args.timeframe, combinations: ranked.length, failed, rankedBy: "sharpe, then totalReturn", rows: fitted.rows.slice(0, 25) };
  return success("run_sweep", payload, { kind: "sweep", strategy: args.strategy, symbol, timeframe: args.timeframe, rows: ranked });
}
