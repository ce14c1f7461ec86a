/** Helpers for engine tests: bars from OHLC rows and a one-call backtest with defaults. */
import type { StrategyDefinition, StrategyParams } from "../api.ts";
import type { BacktestConfig, EngineResult } from "../results.ts";
import { DEFAULT_CAPS, runBacktest, type DriverBars } from "./backtest.ts";

/** Bars one minute apart from [open, high, low, close] rows. */
export function barsOf(rows: readonly (readonly [number, number, number, number])[]): DriverBars {
  const n = rows.length;
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!);
  return { symbol: "T", time: Float64Array.from({ length: n }, (_, i) => i * 60_000), open: col(0), high: col(1), low: col(2), close: col(3), volume: new Float64Array(n).fill(1) };
}

/** Flat bars (open = high = low = close) from closes. */
export function flatBars(closes: readonly number[]): DriverBars {
  return barsOf(closes.map((c) => [c, c, c, c] as const));
}

/** Runs `def` with cash 10 000 and no costs unless overridden. */
export function backtest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests define ad-hoc states
  def: StrategyDefinition<StrategyParams, any>,
  bars: DriverBars,
  config: Partial<BacktestConfig> = {},
): EngineResult {
  return runBacktest(def, bars, { cash: 10_000, commission: 0, slippageBps: 0, ...config }, DEFAULT_CAPS);
}

/** A strategy that acts on given bar indexes. */
export function onBars(
  actions: Record<number, (ctx: Parameters<StrategyDefinition<StrategyParams, unknown>["onBar"]>[1]) => void>,
  extra: Partial<StrategyDefinition<StrategyParams, unknown>> = {},
): StrategyDefinition<StrategyParams, unknown> {
  return { params: {}, ...extra, onBar: (_bar, ctx) => actions[ctx.barIndex]?.(ctx) };
}
