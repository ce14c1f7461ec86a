/**
 * The strategy kernel: one strategy instance driven bar by bar, with the broker, clock and log
 * injected (NautilusTrader's idea of one kernel for backtest and live). The backtest driver feeds
 * it columnar bars with a simulated broker; a live driver will feed closed bars with a paper broker.
 * Per bar: the broker fills what the bar reaches (strategy callbacks `onFill`/`onTrade` run), the
 * strategy's `onBar` runs, then the broker fills at the close when the run fills on close.
 */
import type { Bar, Fill, OrderOptions, StrategyContext, StrategyDefinition, StrategyParams, TA, TradeView } from "../api.ts";
import type { BarPrices, Broker, Clock, OrderRequest, RunLog } from "./ports.ts";
import { createTA } from "./ta.ts";
import { formatLogArgs } from "./format.ts";
import { sizeForFraction } from "./sizing.ts";

/** Where a strategy error happened, for the error report. */
export interface KernelPhase {
  phase: "setup" | "onBar" | "onFill" | "onTrade" | "load";
  barIndex: number;
  barTime: number | null;
}

/** Options of {@link StrategyKernel}. */
export interface KernelOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the state type is the strategy's own
  definition: StrategyDefinition<StrategyParams, any>;
  params: StrategyParams;
  symbol: string;
  broker: Broker;
  clock: Clock;
  log: RunLog;
}

/** Drives one strategy. */
export class StrategyKernel {
  /** False while warm-up bars are fed: `buy`, `sell` and `close` place nothing and return -1. */
  ordersEnabled = true;
  private phase: KernelPhase["phase"] = "load";
  private barIndex = -1;
  /** The current bar's time; NaN before the first (a number field: storing it allocates nothing). */
  private barTime = Number.NaN;
  private readonly opts: KernelOptions;
  private readonly ta: TA = createTA();
  private readonly ctx: StrategyContext;
  private state: unknown = undefined;
  private prices: BarPrices = { index: -1, time: 0, open: 0, high: 0, low: 0, close: 0 };

  constructor(opts: KernelOptions) {
    this.opts = opts;
    this.ctx = this.makeContext();
    // The callbacks are looked up once, when the run starts.
    const { onFill, onTrade } = opts.definition;
    opts.broker.setEvents({
      ...(typeof onFill === "function" ? { onFill: (fill: Fill) => this.callback("onFill", fill) } : {}),
      ...(typeof onTrade === "function" ? { onTrade: (trade: TradeView) => this.callback("onTrade", trade) } : {}),
      onReject: (id, reason) => opts.log.write(`order #${id} rejected: ${reason}`),
    });
  }

  /** Where the run is now (a fresh copy). */
  get where(): KernelPhase {
    return { phase: this.phase, barIndex: this.barIndex, barTime: Number.isNaN(this.barTime) ? null : this.barTime };
  }

  /** The current bar's time, 0 before the first bar. */
  get time(): number {
    return Number.isNaN(this.barTime) ? 0 : this.barTime;
  }

  /** Runs the strategy's `setup`. */
  start(): void {
    const { definition, params, symbol } = this.opts;
    this.phase = "setup";
    const setup = definition.setup;
    this.state = typeof setup === "function" ? setup(Object.freeze({ params, ta: this.ta, symbol })) : {};
    checkSync(this.state, "setup");
  }

  /** Processes one bar: order events that arrived since the last bar, broker fills, `onBar`, fills at the close. */
  step(bar: Bar, prices: BarPrices, last: boolean): void {
    const broker = this.opts.broker;
    this.prices = prices;
    this.barIndex = prices.index;
    this.barTime = prices.time;
    broker.drain();
    broker.beforeBar(prices);
    this.phase = "onBar";
    const result: unknown = this.opts.definition.onBar(bar, this.ctx, this.state);
    if (result !== undefined) checkSync(result, "onBar");
    broker.afterBar(prices, last);
  }

  private callback(name: "onFill" | "onTrade", arg: Fill | TradeView): void {
    const fn = this.opts.definition[name] as ((a: unknown, c: StrategyContext, s: unknown) => unknown) | undefined;
    if (typeof fn !== "function") return;
    const before = this.phase;
    this.phase = name;
    checkSync(fn(arg, this.ctx, this.state), name);
    this.phase = before;
  }

  private order(side: "buy" | "sell", size: number, opts: OrderOptions | undefined): number {
    if (!this.ordersEnabled) return -1;
    if (opts !== undefined && (typeof opts !== "object" || opts === null)) throw new TypeError(`ctx.${side}: options must be an object`);
    // One shape for every request (absent options stay undefined; the broker treats both alike).
    const req: OrderRequest = { side, size, type: opts?.type, price: opts?.price, stopLoss: opts?.stopLoss, takeProfit: opts?.takeProfit, tag: opts?.tag };
    return this.opts.broker.submit(req, this.prices);
  }

  private makeContext(): StrategyContext {
    const { broker, clock, log, params, symbol } = this.opts;
    const roundLot = (size: number) => broker.roundSize?.(size) ?? size;
    const ctx = {
      params,
      symbol,
      ta: this.ta,
      sizeFor: (fraction: number) => sizeForFraction(broker.equityAt(this.prices.close), this.prices.close, fraction, roundLot),
      buy: (size: number, opts?: OrderOptions) => this.order("buy", size, opts),
      sell: (size: number, opts?: OrderOptions) => this.order("sell", size, opts),
      close: () => (!this.ordersEnabled || broker.position.size === 0 ? -1 : broker.submit({ side: "sell", size: 0, closeAll: true }, this.prices)),
      cancel: (orderId: number) => broker.cancel(orderId),
      log: (...args: unknown[]) => log.write(formatLogArgs(args)),
    };
    Object.defineProperties(ctx, {
      position: { get: () => broker.position, enumerable: true },
      cash: { get: () => broker.cash, enumerable: true },
      equity: { get: () => broker.equityAt(this.prices.close), enumerable: true },
      time: { get: () => clock.now(), enumerable: true },
      barIndex: { get: () => this.prices.index, enumerable: true },
      openOrders: { get: () => Object.freeze(broker.openOrders()), enumerable: true },
    });
    return Object.freeze(ctx) as unknown as StrategyContext;
  }
}

function checkSync(value: unknown, where: string): void {
  if (value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function") {
    throw new TypeError(`${where} must be synchronous: it returned a Promise (async callbacks are not supported)`);
  }
}
