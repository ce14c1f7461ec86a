/**
 * The public strategy API: what a strategy module sees when it imports from "workstation".
 * This file is self-contained (no imports) because its text is shipped verbatim to the editor and
 * the type checker as the declaration file of the "workstation" module (see `dts.ts`).
 * Keep this core stable: strategies written by people and by the assistant depend on it.
 */

/** Strategy parameters: plain numbers, booleans or strings, overridable per run and per sweep. */
export type StrategyParams = Record<string, number | boolean | string>;

/** One bar as a strategy sees it. `time` is the bar's open time in UTC ms. */
export interface Bar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly symbol: string;
}

/** Order types. A market order fills at the next bar's open (or this bar's close with `fillOn: "close"`). */
export type OrderType = "market" | "limit" | "stop";

/** Options of `ctx.buy` / `ctx.sell`. */
export interface OrderOptions {
  /** Default "market". */
  type?: OrderType;
  /** Limit price (type "limit") or trigger price (type "stop"). */
  price?: number;
  /** Bracket: after the entry fills, a protective stop at this price closes the position. */
  stopLoss?: number;
  /** Bracket: after the entry fills, a limit at this price takes profit. */
  takeProfit?: number;
  /** Free text carried into the order record. */
  tag?: string;
}

/** The position in the run's symbol: `size` > 0 long, < 0 short, 0 flat. */
export interface Position {
  readonly size: number;
  /** Average entry price of the open position (0 when flat). */
  readonly avgPrice: number;
}

/** An order as the strategy sees it in `onFill` and `ctx.orders`. */
export interface OrderView {
  readonly id: number;
  readonly side: "buy" | "sell";
  readonly type: OrderType;
  readonly size: number;
  readonly price: number | null;
  readonly status: "open" | "filled" | "cancelled" | "rejected";
  readonly tag: string | null;
}

/** A fill, passed to `onFill`. */
export interface Fill {
  readonly orderId: number;
  readonly side: "buy" | "sell";
  readonly size: number;
  readonly price: number;
  readonly fee: number;
  /** Time of the bar the fill happened in. */
  readonly time: number;
}

/** A round trip (flat → position → flat), passed to `onTrade` when it closes. */
export interface TradeView {
  readonly side: "long" | "short";
  readonly entryTime: number;
  readonly entryPrice: number;
  readonly exitTime: number | null;
  readonly exitPrice: number | null;
  readonly size: number;
  /** Net of fees. */
  readonly pnl: number;
  readonly fees: number;
}

/** A streaming indicator: `update(x)` returns the new value (NaN until warm); `value` holds the last. */
export interface Indicator {
  update(x: number): number;
  readonly value: number;
  /** The value before the last update (NaN at first). */
  readonly prev: number;
  /** True once the indicator produces numbers. */
  readonly ready: boolean;
}

/** An indicator fed with whole bars (high, low, close). */
export interface BarIndicator {
  update(bar: { high: number; low: number; close: number }): number;
  readonly value: number;
  readonly prev: number;
  readonly ready: boolean;
}

/** Bollinger bands: `update` returns the middle band. */
export interface BollingerBands extends Indicator {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
}

/** MACD: `update` returns the MACD line. */
export interface Macd extends Indicator {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
}

/** Something with a current and a previous value: an indicator, or `{ value, prev }`. */
export interface Series {
  readonly value: number;
  readonly prev: number;
}

/** The streaming indicator library. */
export interface TA {
  sma(period: number): Indicator;
  ema(period: number): Indicator;
  /** Wilder's RSI, seeded with the simple average of the first `period` changes. */
  rsi(period: number): Indicator;
  /** Wilder's average true range, seeded with the simple average of the first `period` true ranges. */
  atr(period: number): BarIndicator;
  bbands(period: number, mult?: number): BollingerBands;
  macd(fast?: number, slow?: number, signal?: number): Macd;
  /** Population standard deviation over the window. */
  stdev(period: number): Indicator;
  highest(period: number): Indicator;
  lowest(period: number): Indicator;
  /** True when `a` was at or below `b` before and is above it now (NaN → false). */
  crossover(a: Series, b: Series | number): boolean;
  /** True when `a` was at or above `b` before and is below it now (NaN → false). */
  crossunder(a: Series, b: Series | number): boolean;
}

/** What `onBar` and the other callbacks receive. */
export interface StrategyContext<P extends StrategyParams = StrategyParams> {
  readonly params: Readonly<P>;
  readonly position: Position;
  readonly cash: number;
  /** Cash plus the open position marked at the last close. */
  readonly equity: number;
  /** Time of the current bar (UTC ms). */
  readonly time: number;
  /** Index of the current bar in the run (0-based). */
  readonly barIndex: number;
  readonly symbol: string;
  readonly ta: TA;
  /** Open orders. */
  readonly openOrders: readonly OrderView[];
  /**
   * The order size worth `fraction` of equity at the current close (0.95 = 95 %), rounded down to
   * the lot (to 8 decimals without one); 0 when less than one lot fits. `ctx.buy(ctx.sizeFor(0.95))`.
   */
  sizeFor(fraction: number): number;
  /** Places a buy; returns the order id (the order may still be rejected at fill time). */
  buy(size: number, opts?: OrderOptions): number;
  /** Places a sell; selling while flat opens a short. */
  sell(size: number, opts?: OrderOptions): number;
  /** Flattens the position (either side) with a market order; returns its id, or -1 when flat. */
  close(): number;
  /** Cancels an open order; false when it is not open. */
  cancel(orderId: number): boolean;
  /** Writes a line to the run's log (capped). */
  log(...args: unknown[]): void;
}

/** How market orders fill: next bar's open (default) or this bar's close. */
export type FillOn = "open" | "close";

/** The argument of `setup`. */
export interface SetupArgs<P extends StrategyParams> {
  readonly params: Readonly<P>;
  readonly ta: TA;
  readonly symbol: string;
}

/** A strategy definition. `S` is the state `setup` returns and every callback receives. */
export interface StrategyDefinition<P extends StrategyParams, S> {
  params: P;
  /** Default "open"; the `--fill-on` option of a run overrides it. */
  fillOn?: FillOn;
  setup?: (args: SetupArgs<P>) => S;
  onBar(bar: Bar, ctx: StrategyContext<P>, state: S): void;
  onFill?(fill: Fill, ctx: StrategyContext<P>, state: S): void;
  onTrade?(trade: TradeView, ctx: StrategyContext<P>, state: S): void;
}

/** The strategy a module exports. */
export interface Strategy<P extends StrategyParams = StrategyParams, S = unknown> {
  readonly kind: "workstation.strategy";
  readonly definition: StrategyDefinition<P, S>;
}

/** Declares a strategy; its return value must be the module's default export. */
export declare function defineStrategy<P extends StrategyParams, S = Record<string, never>>(
  definition: StrategyDefinition<P, S>,
): Strategy<P, S>;
