/**
 * The paper broker of one venue and symbol: fills orders against the live (or replayed) market with
 * a selectable, labelled fill model. It only matches; the order layer (`engine.ts`) owns the orders'
 * state, the ledgers and the store, and hears every outcome through {@link PaperHooks}.
 *
 * `next-trade`: a market order fills, whole, at the price of the first trade whose venue time is at
 * or after the moment it was placed (for an order placed in `onBar`, the bar's end: in a replay the
 * trade that closed the bar — a backtest's next-open fill on trade-built bars), carrying that trade's
 * venue time. A limit order fills, whole, when a trade prints at or through its price: at the trade's
 * price when it is the first trade the order sees (a gap, like a backtest's open), else at its own
 * price. A stop triggers on a trade at or through its price and fills at that trade's price.
 *
 * `book`: a market order walks the current book's levels at once (what the book cannot take waits
 * for the next trade); a limit order rests and fills as trades print through its price, partially,
 * by the traded size, after the queue that was ahead of it at its price when it joined. Without a
 * book yet, orders fall back to `next-trade` rules.
 *
 * Fees: limit fills pay the maker rate, market and stop fills the taker rate, computed on the decimals
 * of size, price and rate ({@link exactFee}); market and stop fills slip against the trader by
 * `slippageBps`. Prices and sizes go through the run's tick/lot rounding.
 */
import { decimalFromNumber, multiplyDecimals } from "../../common/market/decimal.ts";
import type { Pricing } from "../../common/strategy/engine/pricing.ts";
import type { Liquidity, TradingFill, TradingOrder } from "../../common/trading/orders.ts";
import { sideSign } from "../../common/trading/orders.ts";

/** How paper orders fill. */
export type FillModel = "next-trade" | "book";
/** The fill models, for option checks. */
export const FILL_MODELS: readonly FillModel[] = ["next-trade", "book"];

/** A trade of the market, as the broker reads it. */
export interface MarketTrade {
  /** Venue time. */
  ts: number;
  price: number;
  size: number;
  /** When core received it. */
  receiveTime: number;
}

/** One side of a book, best first: [price, size]. */
export type BookLevels = readonly (readonly [number, number])[];

/** What the order layer decides and hears. */
export interface PaperHooks {
  /** The size to fill now (reduce-only and close-all orders follow the position); 0 = nothing to do. */
  fillSize(order: TradingOrder): number;
  /** Why a fill cannot be paid for, or null. */
  refuse(order: TradingOrder, size: number, price: number, fee: number): string | null;
  fill(order: TradingOrder, fill: Omit<TradingFill, "id">): void;
  /** The broker ended the order (nothing to close, refused at fill time, IOC remainder). */
  ended(order: TradingOrder, how: "cancel" | "reject" | "expire", reason: string): void;
}

/** Options of a {@link PaperBroker}. */
export interface PaperBrokerOptions {
  fillModel: FillModel;
  pricing: Pricing;
  /** Simulated latency: an order becomes active this long after it is placed (venue time). */
  latencyMs?: number;
}

interface Working {
  order: TradingOrder;
  activeFrom: number;
  /** Whether the order has seen a trade (its first one may fill at the trade's price). */
  seen: boolean;
  triggered: boolean;
  /** Book model: size ahead of the order at its price when it joined. */
  queueAhead: number;
}

/** Matches one venue/symbol's paper orders. */
export class PaperBroker {
  readonly fillModel: FillModel;
  private readonly pricing: Pricing;
  private readonly latencyMs: number;
  private readonly hooks: PaperHooks;
  private working: Working[] = [];
  private bids: BookLevels = [];
  private asks: BookLevels = [];
  private bookTime = 0;
  private lastTrade: MarketTrade | null = null;

  constructor(opts: PaperBrokerOptions, hooks: PaperHooks) {
    this.fillModel = opts.fillModel;
    this.pricing = opts.pricing;
    this.latencyMs = opts.latencyMs ?? 0;
    this.hooks = hooks;
  }

  /** The last trade seen (the risk gate's reference price). */
  get last(): MarketTrade | null {
    return this.lastTrade;
  }

  /** Orders working here, in placement order. */
  get workingIds(): string[] {
    return this.working.map((w) => w.order.id);
  }

  /**
   * Starts working an accepted order placed at venue time `placedAt`. `resting`: the order rests
   * from the start (a bracket child, an order put back after a restart): its first trade is not a
   * gap, so a limit fills at its own price.
   */
  place(order: TradingOrder, placedAt: number, resting = false): void {
    const w: Working = { order, activeFrom: placedAt + this.latencyMs, seen: resting, triggered: false, queueAhead: 0 };
    if (this.fillModel === "book" && order.type === "limit") w.queueAhead = this.sizeAt(order.side === "buy" ? this.bids : this.asks, order.price!);
    this.working.push(w);
    if (this.fillModel === "book" && this.latencyMs === 0 && this.hasBook()) {
      this.sweepBook(w);
      this.expireIoc(w);
    }
  }

  /** Stops working an order; false when it is not working here. */
  remove(orderId: string): boolean {
    const before = this.working.length;
    this.working = this.working.filter((w) => w.order.id !== orderId);
    return this.working.length !== before;
  }

  /** Takes another broker's view of the market (its book and last trade): a broker opened mid-session starts where the market is. */
  adoptMarket(from: PaperBroker): void {
    this.bids = from.bids;
    this.asks = from.asks;
    this.bookTime = from.bookTime;
    this.lastTrade = from.lastTrade;
  }

  /** A new book (levels best first). */
  onBook(bids: BookLevels, asks: BookLevels, ts: number): void {
    this.bids = bids;
    this.asks = asks;
    this.bookTime = ts;
  }

  /** A market trade: fills what it reaches, orders in placement order. */
  onTrade(trade: MarketTrade): void {
    this.lastTrade = trade;
    if (this.working.length === 0) return;
    for (const w of this.working.slice()) {
      if (!this.isWorking(w.order.id) || trade.ts < w.activeFrom) continue;
      this.matchTrade(w, trade);
      w.seen = true;
      this.expireIoc(w);
    }
  }

  /** An IOC order that had its one chance (the book at once, or its first trade): the rest expires. */
  private expireIoc(w: Working): void {
    if (w.order.tif === "IOC" && this.isWorking(w.order.id)) this.end(w, "expire", "IOC: what could not fill at once expired");
  }

  private isWorking(id: string): boolean {
    return this.working.some((w) => w.order.id === id);
  }

  private hasBook(): boolean {
    return this.bids.length > 0 || this.asks.length > 0;
  }

  private sizeAt(levels: BookLevels, price: number): number {
    for (const [p, s] of levels) if (p === price) return s;
    return 0;
  }

  private matchTrade(w: Working, t: MarketTrade): void {
    const o = w.order;
    const buy = o.side === "buy";
    if (o.type === "market" || w.triggered) {
      this.execute(w, t.price, this.remaining(w), "taker", t);
      return;
    }
    const p = o.price!;
    if (o.type === "stop") {
      if (buy ? t.price < p : t.price > p) return;
      w.triggered = true;
      this.execute(w, t.price, this.remaining(w), "taker", t);
      return;
    }
    if (buy ? t.price > p : t.price < p) return;
    const through = buy ? t.price < p : t.price > p;
    const price = !w.seen && through ? t.price : p;
    if (this.fillModel !== "book") {
      this.execute(w, price, this.remaining(w), "maker", t);
      return;
    }
    let traded = t.size;
    if (!through) {
      const used = Math.min(w.queueAhead, traded);
      w.queueAhead -= used;
      traded -= used;
    }
    if (traded > 0) this.execute(w, price, Math.min(traded, this.remaining(w)), "maker", t);
  }

  /** Book model: a market order (or a marketable limit) takes the book's levels at once. */
  private sweepBook(w: Working): void {
    const o = w.order;
    if (o.type === "stop") return;
    const levels = o.side === "buy" ? this.asks : this.bids;
    for (const [price, size] of levels) {
      if (!this.isWorking(o.id)) return;
      if (o.type === "limit" && (o.side === "buy" ? price > o.price! : price < o.price!)) return;
      const qty = Math.min(size, this.remaining(w));
      if (qty <= 0) return;
      this.execute(w, price, qty, "taker", { ts: this.bookTime, price, size, receiveTime: this.bookTime });
    }
  }

  private remaining(w: Working): number {
    const want = this.hooks.fillSize(w.order);
    return Math.max(0, want);
  }

  private execute(w: Working, raw: number, qty: number, liquidity: Liquidity, t: MarketTrade): void {
    const o = w.order;
    if (qty <= 0) {
      this.end(w, "cancel", o.closeAll ? "nothing to close" : "position already closed");
      return;
    }
    const side = sideSign(o.side);
    const price = liquidity === "maker" ? this.pricing.onTick(side, raw) : this.pricing.slipped(side, raw);
    const rate = liquidity === "maker" ? this.pricing.makerRate : this.pricing.takerRate;
    const size = qty;
    const fee = exactFee(size, price, rate);
    const problem = this.hooks.refuse(o, size, price, fee);
    if (problem) {
      this.end(w, "reject", problem);
      return;
    }
    this.hooks.fill(o, { orderId: o.id, side: o.side, price, size, fee, liquidity, venueTime: t.ts, receiveTime: t.receiveTime });
    if (o.status === "filled" || o.status === "canceled" || o.status === "rejected" || o.status === "expired") this.remove(o.id);
  }

  private end(w: Working, how: "cancel" | "reject" | "expire", reason: string): void {
    this.remove(w.order.id);
    this.hooks.ended(w.order, how, reason);
  }
}

/** size × price × rate computed on the decimals of the three (exact, rounded at 1e-18), as the store keeps it. */
export function exactFee(size: number, price: number, rate: number): number {
  return Number(multiplyDecimals(decimalFromNumber(size), decimalFromNumber(price), decimalFromNumber(rate)));
}
