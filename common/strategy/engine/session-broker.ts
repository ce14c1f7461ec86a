/**
 * The broker a live or paper session's kernel sees: a view of the order layer, kept inside the
 * sandbox next to the strategy. `ctx.buy` gets its id at once and becomes an order intent that the
 * host takes after the step (risk gate, store, paper or live broker); the outcome comes back as
 * order events the host pushes, which `drain` applies (position, cash, trades through the same
 * accounting as a backtest) and hands to `onFill`/`onTrade` before the next bar. While warming up
 * (orders disabled) every order is refused at once with the reason, and nothing leaves.
 */
import type { Fill, OrderView } from "../api.ts";
import { Accounting, tradeView } from "./accounting.ts";
import type { BarPrices, Broker, BrokerEvents, OrderRequest } from "./ports.ts";
import { validateRequest } from "./sim-orders.ts";

/** What leaves a session step: a new order (bracket children's ids reserved) or a cancel. */
export type SessionIntent =
  | { kind: "order"; id: number; req: OrderRequest; time: number; childIds: number[] }
  | { kind: "cancel"; id: number };

/** What the host reports back about the session's orders. */
export type SessionOrderEvent =
  | { kind: "fill"; orderId: number; side: "buy" | "sell"; size: number; price: number; fee: number; time: number }
  | { kind: "done"; orderId: number; status: "filled" | "cancelled" | "rejected"; reason: string | null }
  | { kind: "opened"; orderId: number; side: "buy" | "sell"; type: OrderView["type"]; size: number; price: number | null; tag: string | null };

const NO_EVENTS: BrokerEvents = { onReject: () => undefined };

/** A session's view of its orders and position, fed by order events. */
export class SessionBroker implements Broker {
  /** False while warming up: orders are refused and nothing leaves. */
  ordersEnabled = false;
  readonly acct: Accounting;
  private readonly open = new Map<number, OrderView>();
  private intents: SessionIntent[] = [];
  private inbox: SessionOrderEvent[] = [];
  private events: BrokerEvents = NO_EVENTS;
  private nextId = 1;

  constructor(cash: number) {
    this.acct = new Accounting(cash);
  }

  get position() {
    return this.acct.position;
  }

  get cash(): number {
    return this.acct.cash;
  }

  equityAt(price: number): number {
    return this.acct.equityAt(price);
  }

  setEvents(events: BrokerEvents): void {
    this.events = events;
  }

  submit(req: OrderRequest, bar: BarPrices): number {
    validateRequest(req);
    const id = this.nextId++;
    if (!this.ordersEnabled) {
      this.events.onReject(id, "orders are disabled while the strategy warms up");
      return id;
    }
    const childIds: number[] = [];
    if (req.stopLoss !== undefined) childIds.push(this.nextId++);
    if (req.takeProfit !== undefined) childIds.push(this.nextId++);
    this.intents.push({ kind: "order", id, req: { ...req }, time: bar.time, childIds });
    const type = req.type ?? "market";
    this.open.set(id, Object.freeze({ id, side: req.side, type, size: req.size, price: req.price ?? null, status: "open", tag: req.tag ?? null }));
    return id;
  }

  cancel(orderId: number): boolean {
    if (!this.open.has(orderId)) return false;
    this.intents.push({ kind: "cancel", id: orderId });
    return true;
  }

  openOrders(): OrderView[] {
    return [...this.open.values()];
  }

  beforeBar(): void {}

  afterBar(): void {}

  /**
   * Queues events from the host; they are applied by the next `drain`. An event's order id is taken
   * as used, so a resumed session (handed its earlier run's events) numbers new orders after them.
   */
  push(events: readonly SessionOrderEvent[]): void {
    for (const e of events) {
      this.inbox.push(e);
      if (e.orderId >= this.nextId) this.nextId = e.orderId + 1;
    }
  }

  /** Takes the intents placed since the last call. */
  takeIntents(): SessionIntent[] {
    const out = this.intents;
    this.intents = [];
    return out;
  }

  drain(): void {
    const inbox = this.inbox;
    this.inbox = [];
    for (const e of inbox) {
      if (e.kind === "fill") this.applyFill(e);
      else if (e.kind === "opened") this.open.set(e.orderId, Object.freeze({ id: e.orderId, side: e.side, type: e.type, size: e.size, price: e.price, status: "open", tag: e.tag }));
      else {
        this.open.delete(e.orderId);
        if (e.status === "rejected") this.events.onReject(e.orderId, e.reason ?? "rejected");
      }
    }
  }

  private applyFill(e: Extract<SessionOrderEvent, { kind: "fill" }>): void {
    const closed = this.acct.fill(e.side === "buy" ? 1 : -1, e.size, e.price, e.fee, e.time);
    const fill: Fill = Object.freeze({ orderId: e.orderId, side: e.side, size: e.size, price: e.price, fee: e.fee, time: e.time });
    this.events.onFill?.(fill);
    if (closed) this.events.onTrade?.(tradeView(closed));
  }
}
