/**
 * The pieces the strategy kernel is built from, as interfaces: a broker (simulated in backtests,
 * a view of the order layer in paper and live sessions) split into order entry, bar-clock hooks and
 * a drain of asynchronous order events, a clock and a log. The kernel never knows which implementation
 * it drives, so the same strategy runs unchanged in a backtest and on live bars.
 */
import type { Fill, OrderOptions, OrderView, Position, TradeView } from "../api.ts";

/** The prices of the bar being processed, as the broker sees them (never the strategy's copy). */
export interface BarPrices {
  index: number;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/**
 * What the broker tells the kernel about. `onFill`/`onTrade` are absent when the strategy has no
 * such callback, so the broker builds no fill or trade view for nobody.
 */
export interface BrokerEvents {
  onFill?(fill: Fill): void;
  onTrade?(trade: TradeView): void;
  onReject(orderId: number, reason: string): void;
}

/** An order request from the strategy. */
export interface OrderRequest extends OrderOptions {
  side: "buy" | "sell";
  size: number;
  /** Flatten whatever position exists when the order fills (`ctx.close()`). */
  closeAll?: boolean;
}

/** Order entry: what the strategy's `ctx.buy/sell/close/cancel` and its view of the account reach. */
export interface OrderEntry {
  readonly position: Position;
  readonly cash: number;
  /** Cash plus the position marked at `price`. */
  equityAt(price: number): number;
  /** Places an order; returns its id at once (the outcome arrives later as an event). */
  submit(req: OrderRequest, bar: BarPrices): number;
  /** A size rounded down to the instrument's lot (unchanged without one). */
  roundSize?(size: number): number;
  cancel(orderId: number): boolean;
  openOrders(): OrderView[];
}

/** Bar-clock hooks: a broker that fills against bars (the backtest's) works here; others ignore them. */
export interface BarClockHooks {
  /** Called before the strategy sees `bar`: fills what the bar's prices reach. */
  beforeBar(bar: BarPrices): void;
  /** Called after the strategy saw `bar`; `last` is true on the last bar of a backtest. */
  afterBar(bar: BarPrices, last: boolean): void;
}

/**
 * Asynchronous order events: a paper or live broker learns of fills between bars; `drain` hands
 * everything that arrived since the last call to the kernel's callbacks, in arrival order, before
 * the strategy sees the next bar. The backtest's broker reports synchronously and drains nothing.
 */
export interface OrderEventSource {
  setEvents(events: BrokerEvents): void;
  drain(): void;
}

/** A broker as the kernel uses it: order entry, bar-clock hooks and order events. */
export interface Broker extends OrderEntry, BarClockHooks, OrderEventSource {}

/** Where the current time comes from: the bar time in backtests, the wall clock live. */
export interface Clock {
  now(): number;
}

/** The run's log. */
export interface RunLog {
  write(line: string): void;
}
