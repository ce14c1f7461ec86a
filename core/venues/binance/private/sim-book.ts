/**
 * The simulated Binance spot account and matching for the private simulator: balances per asset,
 * orders by id and client order id (a client id is refused while an open order holds it, as on
 * Binance), market orders filling at once against the book's best price, limit orders resting until
 * the price crosses them (`setPrice`), and the `executionReport` / `outboundAccountPosition` events
 * each change produces, in Binance's field names.
 */

/** A simulated symbol. */
export interface SimSymbol {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
  /** Last traded price; market orders fill here (± half the spread). */
  price: number;
}

/** A simulated order. */
export interface SimOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: "BUY" | "SELL";
  type: string;
  timeInForce: string;
  price: number;
  origQty: number;
  executedQty: number;
  cumQuote: number;
  status: "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "EXPIRED";
  time: number;
}

/** A simulated execution. */
export interface SimTrade {
  symbol: string;
  id: number;
  orderId: number;
  price: number;
  qty: number;
  commission: number;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

const d8 = (x: number) => x.toFixed(8);

/** Binance's JSON for an order (`GET /order`, `/openOrders`). */
export function orderJson(o: SimOrder): Record<string, unknown> {
  return { symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, price: d8(o.price), origQty: d8(o.origQty), executedQty: d8(o.executedQty), cummulativeQuoteQty: d8(o.cumQuote), status: o.status, timeInForce: o.timeInForce, type: o.type, side: o.side, stopPrice: d8(0), icebergQty: d8(0), time: o.time, updateTime: o.time, isWorking: true, workingTime: o.time, origQuoteOrderQty: d8(0), selfTradePreventionMode: "NONE" };
}

/** Binance's JSON for a `/myTrades` row. */
export function tradeJson(t: SimTrade): Record<string, unknown> {
  return { symbol: t.symbol, id: t.id, orderId: t.orderId, orderListId: -1, price: d8(t.price), qty: d8(t.qty), quoteQty: d8(t.price * t.qty), commission: d8(t.commission), commissionAsset: t.commissionAsset, time: t.time, isBuyer: t.isBuyer, isMaker: t.isMaker, isBestMatch: true };
}

/** An `executionReport` for `o` (with the execution `t` for TRADE). */
export function executionReport(o: SimOrder, x: string, t: SimTrade | null, now: number, origClientOrderId = ""): Record<string, unknown> {
  return {
    e: "executionReport", E: now, s: o.symbol, c: o.clientOrderId, S: o.side, o: o.type, f: o.timeInForce, q: d8(o.origQty), p: d8(o.price), P: d8(0), F: d8(0), g: -1, C: origClientOrderId,
    x, X: o.status, r: "NONE", i: o.orderId, l: d8(t?.qty ?? 0), z: d8(o.executedQty), L: d8(t?.price ?? 0), n: d8(t?.commission ?? 0), N: t ? t.commissionAsset : null,
    T: t?.time ?? now, t: t?.id ?? -1, I: o.orderId * 10, w: o.status === "NEW", m: t?.isMaker ?? false, M: false, O: o.time, Z: d8(o.cumQuote), Y: d8(t ? t.price * t.qty : 0), Q: d8(0), W: o.time, V: "NONE",
  };
}

/** The simulated account and matching of the private simulator. */
export class SimAccount {
  readonly symbols = new Map<string, SimSymbol>();
  readonly balances = new Map<string, { free: number; locked: number }>();
  readonly orders = new Map<number, SimOrder>();
  readonly trades: SimTrade[] = [];
  /** Events produced since the last {@link drain}. */
  private pending: Record<string, unknown>[] = [];
  private nextOrderId = 1000;
  private nextTradeId = 5000;
  readonly fee = 0.001;

  constructor(symbols: readonly SimSymbol[], balances: Readonly<Record<string, number>>) {
    for (const s of symbols) this.symbols.set(s.symbol, { ...s });
    for (const [a, v] of Object.entries(balances)) this.balances.set(a, { free: v, locked: 0 });
  }

  /** The order holding `clientOrderId` (the newest one). */
  byClientId(clientOrderId: string): SimOrder | undefined {
    return [...this.orders.values()].reverse().find((o) => o.clientOrderId === clientOrderId);
  }

  /** Takes the events produced so far. */
  drain(): Record<string, unknown>[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  private bal(asset: string): { free: number; locked: number } {
    let b = this.balances.get(asset);
    if (!b) this.balances.set(asset, (b = { free: 0, locked: 0 }));
    return b;
  }

  /** Places an order; returns it, or a `{code,msg}` refusal. */
  place(p: { symbol: string; side: "BUY" | "SELL"; type: string; timeInForce: string; qty: number; price: number; clientOrderId: string }, now: number): SimOrder | { code: number; msg: string } {
    const s = this.symbols.get(p.symbol);
    if (!s) return { code: -1121, msg: "Invalid symbol." };
    const held = this.byClientId(p.clientOrderId);
    if (held && (held.status === "NEW" || held.status === "PARTIALLY_FILLED")) return { code: -2010, msg: "Duplicate order sent." };
    const price = p.type === "MARKET" ? s.price : p.price;
    const need = p.side === "BUY" ? p.qty * price * (1 + this.fee) : p.qty;
    const asset = p.side === "BUY" ? s.quoteAsset : s.baseAsset;
    if (this.bal(asset).free + 1e-12 < need) return { code: -2010, msg: "Account has insufficient balance for requested action." };
    const o: SimOrder = { symbol: s.symbol, orderId: ++this.nextOrderId, clientOrderId: p.clientOrderId, side: p.side, type: p.type, timeInForce: p.timeInForce, price: p.type === "MARKET" ? 0 : p.price, origQty: p.qty, executedQty: 0, cumQuote: 0, status: "NEW", time: now };
    this.orders.set(o.orderId, o);
    this.bal(asset).free -= need;
    this.bal(asset).locked += need;
    this.pending.push(executionReport(o, "NEW", null, now));
    if (p.type === "MARKET" || this.crosses(o, s.price)) this.execute(o, s, s.price, now, false);
    return o;
  }

  private crosses(o: SimOrder, price: number): boolean {
    return o.side === "BUY" ? price <= o.price : price >= o.price;
  }

  private execute(o: SimOrder, s: SimSymbol, price: number, now: number, maker: boolean): void {
    const qty = o.origQty - o.executedQty;
    const fillPrice = o.type === "MARKET" ? price : o.price;
    const quote = qty * fillPrice;
    const fee = o.side === "BUY" ? qty * this.fee : quote * this.fee;
    const t: SimTrade = { symbol: s.symbol, id: ++this.nextTradeId, orderId: o.orderId, price: fillPrice, qty, commission: fee, commissionAsset: o.side === "BUY" ? s.baseAsset : s.quoteAsset, time: now, isBuyer: o.side === "BUY", isMaker: maker };
    this.trades.push(t);
    o.executedQty = o.origQty;
    o.cumQuote += quote;
    o.status = "FILLED";
    this.settle(o, s, t);
    this.pending.push(executionReport(o, "TRADE", t, now));
    this.pending.push(this.position(now, [s.baseAsset, s.quoteAsset]));
  }

  private settle(o: SimOrder, s: SimSymbol, t: SimTrade): void {
    const base = this.bal(s.baseAsset);
    const quote = this.bal(s.quoteAsset);
    if (o.side === "BUY") {
      const reserved = o.type === "MARKET" ? t.qty * s.price * (1 + this.fee) : t.qty * o.price * (1 + this.fee);
      quote.locked -= reserved;
      quote.free += reserved - t.qty * t.price;
      base.free += t.qty - t.commission;
    } else {
      base.locked -= t.qty;
      quote.free += t.qty * t.price - t.commission;
    }
  }

  /** Cancels an open order; the refusal when it is not open. */
  cancel(o: SimOrder, now: number, origClientOrderId: string): SimOrder | { code: number; msg: string } {
    if (o.status !== "NEW" && o.status !== "PARTIALLY_FILLED") return { code: -2011, msg: "Unknown order sent." };
    const s = this.symbols.get(o.symbol)!;
    const left = o.origQty - o.executedQty;
    const asset = o.side === "BUY" ? s.quoteAsset : s.baseAsset;
    const release = o.side === "BUY" ? left * o.price * (1 + this.fee) : left;
    this.bal(asset).locked -= release;
    this.bal(asset).free += release;
    o.status = "CANCELED";
    this.pending.push(executionReport({ ...o, clientOrderId: `cancel${o.orderId}` }, "CANCELED", null, now, origClientOrderId));
    return o;
  }

  /** Moves a symbol's price; resting limit orders it crosses fill (as makers). */
  setPrice(symbol: string, price: number, now: number): void {
    const s = this.symbols.get(symbol)!;
    s.price = price;
    for (const o of this.orders.values()) {
      if (o.symbol === symbol && o.status === "NEW" && this.crosses(o, price)) this.execute(o, s, price, now, true);
    }
  }

  /** An `outboundAccountPosition` event for some assets. */
  position(now: number, assets: readonly string[]): Record<string, unknown> {
    return { e: "outboundAccountPosition", E: now, u: now, B: assets.map((a) => ({ a, f: d8(this.bal(a).free), l: d8(this.bal(a).locked) })) };
  }
}
