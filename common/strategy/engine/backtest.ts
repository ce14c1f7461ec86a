/**
 * The backtest driver: feeds columnar bars to the strategy kernel with the simulated broker and a
 * bar-time clock, records equity and exposure at every close, and returns the run's records. It
 * runs inside the sandbox next to the strategy, so no bar crosses a boundary.
 */
import type { BarColumns } from "../../market/bars.ts";
import type { Bar, StrategyDefinition, StrategyParams } from "../api.ts";
import { RESULT_CAPS, type BacktestConfig, type EngineResult } from "../results.ts";
import { BarView, barSnapshot, onBarOnlyReadsFields } from "./bar-view.ts";
import { StrategyKernel } from "./kernel.ts";
import { resolveParams } from "./params.ts";
import type { BarPrices, Clock, RunLog } from "./ports.ts";
import { Pricing } from "./pricing.ts";
import { SimBroker } from "./sim-broker.ts";

/** Bars as the driver reads them: the shared columnar form. */
export type DriverBars = BarColumns;

/** Caps of one run. */
export interface DriverCaps {
  maxOrders: number;
  maxTrades: number;
  maxLogLines: number;
  maxLogChars: number;
}

/** Default caps. */
export const DEFAULT_CAPS: DriverCaps = { maxOrders: RESULT_CAPS.maxOrders, maxTrades: RESULT_CAPS.maxTrades, maxLogLines: 1000, maxLogChars: 256_000 };

/** A log that keeps the first lines up to its caps and counts the rest. */
export class CappedLog implements RunLog {
  readonly lines: string[] = [];
  dropped = 0;
  private chars = 0;
  private readonly caps: DriverCaps;
  constructor(caps: DriverCaps) {
    this.caps = caps;
  }
  write(line: string): void {
    if (this.lines.length >= this.caps.maxLogLines || this.chars + line.length > this.caps.maxLogChars) {
      this.dropped++;
      return;
    }
    this.chars += line.length;
    this.lines.push(line);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the state type is the strategy's own
type AnyDefinition = StrategyDefinition<StrategyParams, any>;

/** The definition inside a strategy module's default export; throws a clear error otherwise. */
export function definitionOf(mod: unknown): AnyDefinition {
  const m = mod as { kind?: unknown; definition?: unknown } | null;
  if (!m || typeof m !== "object" || m.kind !== "workstation.strategy") {
    throw new TypeError('the strategy module must `export default defineStrategy({ ... })` imported from "workstation"');
  }
  return m.definition as AnyDefinition;
}

/** Lets a caller see the run's kernel (to report where it failed) and log (for console output). */
export interface DriverHooks {
  kernel?(k: StrategyKernel): void;
  log?(log: CappedLog): void;
  /** Arrays (length = bar count) to write the equity curve and exposure into, e.g. shared memory. */
  out?: { equity: Float64Array; exposure: Uint8Array };
  /** A summary run (a sweep's): no order records are built (`orders` is empty). */
  summary?: boolean;
}

/** Runs a whole backtest. */
export function runBacktest(definition: AnyDefinition, bars: DriverBars, config: BacktestConfig, caps: DriverCaps, hooks: DriverHooks = {}): EngineResult {
  const params = resolveParams(definition.params, config.params);
  const fillOn = config.fillOn ?? definition.fillOn ?? "open";
  if (fillOn !== "open" && fillOn !== "close") throw new TypeError('fillOn must be "open" or "close"');
  const pricing = new Pricing(config);
  const summary = hooks.summary === true;
  const broker = new SimBroker({ cash: config.cash, pricing, fillOn, maxOrders: caps.maxOrders, maxTrades: caps.maxTrades, keepOrders: !summary });
  const log = new CappedLog(caps);
  const prices: BarPrices = { index: -1, time: Number.NaN, open: 0, high: 0, low: 0, close: 0 };
  const clock: Clock = { now: () => prices.time };
  const kernel = new StrategyKernel({ definition, params, symbol: bars.symbol, broker, clock, log });
  hooks.kernel?.(kernel);
  hooks.log?.(log);
  kernel.start();
  const { time, open, high, low, close } = bars;
  const n = time.length;
  const warmup = Math.max(0, Math.min(n, Math.floor(config.warmupBars ?? 0)));
  const equity = hooks.out?.equity ?? new Float64Array(n);
  const exposure = hooks.out?.exposure ?? new Uint8Array(n);
  if (equity.length !== n || exposure.length !== n) throw new RangeError("output arrays must have one slot per bar");
  // One reused view when onBar only reads its bar's fields; else a fresh snapshot per bar.
  const view = onBarOnlyReadsFields(definition.onBar) ? new BarView(bars) : null;
  kernel.ordersEnabled = warmup === 0;
  for (let i = 0; i < n; i++) {
    prices.index = i;
    prices.time = time[i]!;
    prices.open = open[i]!;
    prices.high = high[i]!;
    prices.low = low[i]!;
    prices.close = close[i]!;
    if (i === warmup) kernel.ordersEnabled = true;
    let bar: Bar;
    if (view !== null) {
      view.index = i;
      bar = view;
    } else {
      bar = barSnapshot(bars, i);
    }
    kernel.step(bar, prices, i === n - 1);
    equity[i] = broker.equityAt(prices.close);
    exposure[i] = broker.size === 0 ? 0 : 1;
  }
  const lastClose = n > 0 ? close[n - 1]! : 0;
  return {
    bars: n,
    trades: broker.tradeRecords(lastClose),
    orders: broker.orderRecords(),
    equity,
    exposure,
    finalEquity: broker.equityAt(lastClose),
    cash: broker.cash,
    logs: log.lines,
    logsDropped: log.dropped,
    params: { ...params },
  };
}
