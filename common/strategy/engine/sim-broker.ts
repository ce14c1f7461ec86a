/**
 * The simulated broker of backtests. Fill rules (docs/strategy-semantics.md has the full text):
 * - Market orders fill at the next bar's open, or with `fillOn: "close"` at the close of the bar
 *   they were placed in. Nothing placed on the last bar fills.
 * - Limit and stop orders fill against later bars' high/low, at their price, or at the open when
 *   the bar gaps through it. Orders touched in the same bar fill in the order they were placed.
 * - Bracket children (stop-loss = stop, take-profit = limit, one-cancels-other, reduce-only) start
 *   with the bar the entry filled in when it filled at the open; after an intrabar entry the stop
 *   is live in the rest of that bar (no gap fill) and the take-profit from the next bar; after a
 *   fill at the close both start with the next bar. When one bar touches both, the worse fills.
 * - Exposure-increasing fills the cash cannot pay for are rejected with a reason: a long needs
 *   cash >= 0 after the fill, a short needs |size| * price <= equity after the fill.
 * - Market and stop fills slip against the trader; limit fills pay the maker rate, others taker.
 */
import type { OrderView } from "../api.ts";
import type { OrderRecord } from "../results.ts";
import { Accounting, fillProblem, tradeView } from "./accounting.ts";
import type { BarPrices, Broker, BrokerEvents, OrderRequest } from "./ports.ts";
import type { Pricing } from "./pricing.ts";
import { type SimOrder, newOrder, orderRecord, orderView, touchPrice, validateRequest } from "./sim-orders.ts";

/** Options of {@link SimBroker}. */
export interface SimBrokerOptions {
  cash: number;
  pricing: Pricing;
  fillOn: "open" | "close";
  maxOrders: number;
  /** Most trades one run may close (default: no cap). */
  maxTrades?: number;
  /**
   * Whether every order is kept for {@link SimBroker.orderRecords} (default true). A summary run
   * (a sweep combination) passes false: a done order is then garbage at once, so it dies young
   * instead of being copied by every scavenge and promoted, and `orderRecords` returns [].
   */
  keepOrders?: boolean;
}

/** Most orders open at once. */
export const MAX_OPEN_ORDERS = 10_000;

const NO_EVENTS: BrokerEvents = { onReject: () => undefined };

/** A broker that fills against bars. */
export class SimBroker implements Broker {
  private readonly acct: Accounting;
  private readonly pricing: Pricing;
  private readonly fillOn: "open" | "close";
  private readonly maxOrders: number;
  /** Every order of the run (only when kept, see {@link SimBrokerOptions.keepOrders}). */
  private readonly all: SimOrder[] | null;
  /** Orders placed so far (their ids are 1..placed). */
  private placed = 0;
  /** The open orders, in the order they were placed (done ones are dropped by `compact`). */
  private readonly pending: SimOrder[] = [];
  private events: BrokerEvents = NO_EVENTS;

  constructor(opts: SimBrokerOptions) {
    this.acct = new Accounting(opts.cash, opts.maxTrades);
    this.pricing = opts.pricing;
    this.fillOn = opts.fillOn;
    this.maxOrders = opts.maxOrders;
    this.all = opts.keepOrders === false ? null : [];
  }

  get position() {
    return this.acct.position;
  }

  get cash(): number {
    return this.acct.cash;
  }

  /** Signed position size. */
  get size(): number {
    return this.acct.size;
  }

  setEvents(events: BrokerEvents): void {
    this.events = events;
  }

  equityAt(price: number): number {
    return this.acct.equityAt(price);
  }

  /** Fills are reported as they happen: nothing is ever waiting. */
  drain(): void {}

  submit(req: OrderRequest, bar: BarPrices): number {
    validateRequest(req);
    if (this.placed >= this.maxOrders) throw new RangeError(`order limit reached (${this.maxOrders} orders per run)`);
    if (this.pending.length >= MAX_OPEN_ORDERS) this.compact();
    if (this.pending.length >= MAX_OPEN_ORDERS) throw new RangeError(`too many open orders (at most ${MAX_OPEN_ORDERS})`);
    const o = this.place(req, bar);
    const lotted = this.pricing.size(o.size);
    if (!req.closeAll && lotted <= 0) {
      this.reject(o, `size ${o.size} is below the lot size`);
      return o.id;
    }
    o.size = req.closeAll ? o.size : lotted;
    this.pending.push(o);
    return o.id;
  }

  /** A new order with the next id, kept in `all` when orders are kept. */
  private place(req: OrderRequest, bar: BarPrices): SimOrder {
    const o = newOrder(++this.placed, req, bar, this.pricing, this.acct.size, this.fillOn);
    this.all?.push(o);
    return o;
  }

  /** A size on the lot grid (down). */
  roundSize(size: number): number {
    return this.pricing.size(size);
  }

  cancel(orderId: number): boolean {
    // Every open order is in `pending` (done ones cannot be cancelled anyway); ids coerce as
    // array indices did (`"3"` is order 3).
    const k = orderId - 1;
    const o = this.pending.find((p) => p.id === k + 1);
    if (!o || o.status !== "open") return false;
    this.cancelOrder(o, "cancelled by the strategy");
    return true;
  }

  openOrders(): OrderView[] {
    return this.pending.filter((o) => o.status === "open").map(orderView);
  }

  // beforeBar/afterBar are called on every bar and inlined into the bar loop: the work, only when
  // orders are open, is in methods of their own so they take little of the loop's inlining budget.
  beforeBar(bar: BarPrices): void {
    if (this.pending.length !== 0) this.fillBeforeBar(bar);
  }

  afterBar(bar: BarPrices, last: boolean): void {
    if (this.pending.length !== 0 && !last && this.fillOn === "close") this.fillAtClose(bar);
  }

  private fillBeforeBar(bar: BarPrices): void {
    for (let k = 0; k < this.pending.length; k++) {
      const o = this.pending[k]!;
      if (o.status === "open" && o.type === "market" && !o.atClose && o.activeFrom <= bar.index) {
        this.execute(o, bar, bar.open, "open");
      }
    }
    for (let k = 0; k < this.pending.length; k++) {
      const o = this.pending[k]!;
      if (o.status === "open" && o.type !== "market" && o.activeFrom <= bar.index) this.tryTouch(o, bar);
    }
    this.compact();
  }

  private fillAtClose(bar: BarPrices): void {
    for (let k = 0; k < this.pending.length; k++) {
      const o = this.pending[k]!;
      if (o.status === "open" && o.atClose && o.activeFrom <= bar.index) {
        this.execute(o, bar, bar.close, "close");
      }
    }
    this.compact();
  }

  /** Every order of the run as records ([] when orders are not kept). */
  orderRecords(): OrderRecord[] {
    return this.all === null ? [] : this.all.map(orderRecord);
  }

  /** Closed trades, plus the open one marked at `lastClose`. */
  tradeRecords(lastClose: number) {
    const open = this.acct.openTrade(lastClose);
    return open ? [...this.acct.closed, open] : this.acct.closed.slice();
  }

  private tryTouch(o: SimOrder, bar: BarPrices): void {
    const p = touchPrice(o, bar);
    if (Number.isNaN(p)) return;
    const sib = o.sibling;
    if (sib && sib.status === "open" && sib.activeFrom <= bar.index) {
      const q = touchPrice(sib, bar);
      // Both touched in one bar: the worse price for the trader fills.
      if (!Number.isNaN(q) && (o.side === 1 ? q > p : q < p)) {
        this.execute(sib, bar, q, "intrabar");
        return;
      }
    }
    this.execute(o, bar, p, "intrabar");
  }

  /** Fills `o` at `raw` (slipped for market and stop orders, on the tick), unless rejected. */
  private execute(o: SimOrder, bar: BarPrices, raw: number, when: "open" | "intrabar" | "close"): void {
    const pos = this.acct.size;
    let side = o.side;
    let qty = o.size;
    if (o.closeAll || o.reduceOnly) {
      if (pos === 0 || (o.reduceOnly && Math.sign(pos) === o.side)) {
        this.cancelOrder(o, o.closeAll ? "nothing to close" : "position already closed");
        return;
      }
      side = pos > 0 ? -1 : 1;
      qty = o.closeAll ? Math.abs(pos) : Math.min(qty, Math.abs(pos));
    }
    const price = o.type === "limit" ? this.pricing.onTick(side, raw) : this.pricing.slipped(side, raw);
    const rate = o.type === "limit" ? this.pricing.makerRate : this.pricing.takerRate;
    const fee = qty * price * rate;
    const problem = fillProblem(this.acct, side, qty, price, fee);
    if (problem) {
      this.reject(o, problem);
      return;
    }
    o.side = side;
    o.size = qty;
    o.status = "filled";
    o.fillTime = bar.time;
    o.fillPrice = price;
    o.fee = fee;
    const closed = this.acct.fill(side, qty, price, fee, bar.time);
    if (o.sibling && o.sibling.status === "open") this.cancelOrder(o.sibling, "the other bracket order filled");
    if (this.acct.size === 0) this.cancelReduceOnly();
    if (o.stopLoss > 0 || o.takeProfit > 0) this.attachBracket(o, bar, when);
    const { onFill, onTrade } = this.events;
    if (onFill) onFill(Object.freeze({ orderId: o.id, side: side === 1 ? "buy" : "sell", size: qty, price, fee, time: bar.time }));
    if (closed && onTrade) onTrade(tradeView(closed));
  }

  private attachBracket(entry: SimOrder, bar: BarPrices, when: "open" | "intrabar" | "close"): void {
    const side = entry.side === 1 ? -1 : 1;
    const start = when === "close" ? bar.index + 1 : bar.index;
    const make = (type: "stop" | "limit", price: number, activeFrom: number, gapFill: boolean): SimOrder => {
      const req: OrderRequest = { side: side === 1 ? "buy" : "sell", size: entry.size, type, price };
      const child = this.place(req, bar);
      child.parentId = entry.id;
      child.reduceOnly = true;
      child.activeFrom = activeFrom;
      child.gapFill = gapFill;
      this.pending.push(child);
      return child;
    };
    const sl = entry.stopLoss > 0 ? make("stop", entry.stopLoss, start, when !== "intrabar") : null;
    const tp = entry.takeProfit > 0 ? make("limit", entry.takeProfit, when === "intrabar" ? start + 1 : start, true) : null;
    if (sl && tp) {
      sl.sibling = tp;
      tp.sibling = sl;
    }
  }

  private cancelReduceOnly(): void {
    for (const o of this.pending) if (o.status === "open" && o.reduceOnly) this.cancelOrder(o, "position closed");
  }

  private cancelOrder(o: SimOrder, reason: string): void {
    o.status = "cancelled";
    o.reason = reason;
  }

  private reject(o: SimOrder, reason: string): void {
    o.status = "rejected";
    o.reason = reason;
    this.events.onReject(o.id, reason);
  }

  /** Drops done orders from `pending`, in place (no new array per bar with fills). */
  private compact(): void {
    const pending = this.pending;
    let j = 0;
    for (let k = 0; k < pending.length; k++) {
      const o = pending[k]!;
      if (o.status === "open") pending[j++] = o;
    }
    pending.length = j;
  }
}
