/**
 * A live strategy's brackets and `ctx.close()`, emulated by core on the venue's trade feed (the
 * venues' spot APIs have no bracket that follows a fill, and their stop orders differ). `close-all`
 * becomes a market order for the ledger's whole position. An entry with a stop-loss or take-profit is
 * sent without them; once it is filled, its children are shown to the strategy as open (a stop, a
 * limit) and watched on every trade of the symbol: the first whose level the trade price reaches
 * (a long's stop at or below it, its take-profit at or above it; the reverse for a short) is sent as
 * a market order for the entry's filled size, under that child's strategy order id, and the other is
 * cancelled. Watching lives in the session: a stopped or restarted session no longer guards them.
 */
import type { SessionOrderEvent } from "../../../common/strategy/engine/session-broker.ts";
import type { LedgerId, OrderSpec, TradingOrder } from "../../../common/trading/orders.ts";
import type { LiveBroker } from "./live-broker.ts";

interface Child {
  strategyId: number;
  kind: "stop" | "limit";
  level: number;
}

interface Armed {
  entry: TradingOrder;
  /** The side that closes the entry's position. */
  side: "buy" | "sell";
  size: number;
  children: Child[];
}

/** What the brackets need from their runner. */
export interface BracketHost {
  broker: LiveBroker;
  ledger: LedgerId;
  venue: string;
  symbol: string;
  /** Sends an order for the strategy (stored at once; the runner follows its events). */
  send(spec: OrderSpec, strategyId: number, time: number): void;
  /** Events to the strategy. */
  push(...events: SessionOrderEvent[]): void;
}

/** The emulated brackets of one live strategy. */
export class LiveBrackets {
  private readonly host: BracketHost;
  /** Entries sent with brackets, by client order id, until they fill. */
  private readonly waiting = new Map<string, { stopLoss?: number; takeProfit?: number; childIds: number[] }>();
  private readonly armed: Armed[] = [];

  constructor(host: BracketHost) {
    this.host = host;
  }

  /** The spec sent for a strategy's entry: its bracket fields dropped (they are emulated here). */
  entrySpec(spec: OrderSpec): OrderSpec {
    const { stopLoss: _s, takeProfit: _t, closeAll: _c, ...sent } = spec;
    return sent;
  }

  /** `ctx.close()`: a market order for the ledger's position, or a reason it is not sent. */
  closeAll(spec: OrderSpec): OrderSpec | string {
    const size = this.host.broker.account.ledger(this.host.ledger, this.host.symbol).size;
    if (size === 0) return "no position to close";
    return { venue: spec.venue, symbol: spec.symbol, side: size > 0 ? "sell" : "buy", type: "market", size: Math.abs(size), price: null, tif: "GTC", reduceOnly: true, tag: spec.tag ?? null };
  }

  /** An entry with brackets was stored as `o`: its children wait for its fill. */
  track(o: TradingOrder, spec: OrderSpec, childIds: readonly number[]): void {
    this.waiting.set(o.id, { ...(spec.stopLoss !== undefined ? { stopLoss: spec.stopLoss } : {}), ...(spec.takeProfit !== undefined ? { takeProfit: spec.takeProfit } : {}), childIds: [...childIds] });
  }

  /** An update of one of the strategy's orders: a filled entry arms its children; a dead one drops them. */
  onOrder(o: TradingOrder): void {
    const w = this.waiting.get(o.id);
    if (!w || (o.status !== "filled" && o.status !== "canceled" && o.status !== "rejected" && o.status !== "expired")) return;
    this.waiting.delete(o.id);
    if (o.filledSize <= 0) {
      for (const id of w.childIds) this.host.push({ kind: "done", orderId: id, status: "cancelled", reason: "the entry did not fill" });
      return;
    }
    const ids = w.childIds.slice();
    const children: Child[] = [];
    if (w.stopLoss !== undefined) children.push({ strategyId: ids.shift()!, kind: "stop", level: w.stopLoss });
    if (w.takeProfit !== undefined) children.push({ strategyId: ids.shift()!, kind: "limit", level: w.takeProfit });
    const side = o.side === "buy" ? "sell" : "buy";
    this.armed.push({ entry: o, side, size: o.filledSize, children });
    for (const c of children) this.host.push({ kind: "opened", orderId: c.strategyId, side, type: c.kind, size: o.filledSize, price: c.level, tag: o.tag ?? null });
  }

  /** The strategy cancels an emulated child: true when it was one (the sibling stays). */
  cancel(strategyId: number): boolean {
    for (const a of this.armed) {
      const i = a.children.findIndex((c) => c.strategyId === strategyId);
      if (i < 0) continue;
      a.children.splice(i, 1);
      if (a.children.length === 0) this.armed.splice(this.armed.indexOf(a), 1);
      this.host.push({ kind: "done", orderId: strategyId, status: "cancelled", reason: null });
      return true;
    }
    return false;
  }

  /** A trade of the symbol: each armed bracket whose level it reaches is sent as a market order. */
  onPrice(price: number, time: number): void {
    for (const a of this.armed.slice()) {
      const hit = a.children.find((c) => reached(a.entry.side, c, price));
      if (!hit) continue;
      this.armed.splice(this.armed.indexOf(a), 1);
      for (const c of a.children) if (c !== hit) this.host.push({ kind: "done", orderId: c.strategyId, status: "cancelled", reason: "the other bracket order triggered" });
      this.host.send({ venue: this.host.venue, symbol: this.host.symbol, side: a.side, type: "market", size: a.size, price: null, tif: "GTC", reduceOnly: true, tag: a.entry.tag ?? null }, hit.strategyId, time);
    }
  }

  /** How many brackets are armed (their children watched). */
  get watching(): number {
    return this.armed.length;
  }
}

/** Whether a trade at `price` reaches a child of an entry on `entrySide`. */
function reached(entrySide: "buy" | "sell", c: Child, price: number): boolean {
  const long = entrySide === "buy";
  if (c.kind === "stop") return long ? price <= c.level : price >= c.level;
  return long ? price >= c.level : price <= c.level;
}
