/**
 * A paper strategy runner: one strategy on one venue/symbol/timeframe. Trades (live from the feed,
 * or from a replayed recording: the same path) go through the shared bar clock
 * (common/market/trade-bars.ts, bars on the venue's trade times); each closed bar goes to the
 * strategy session with the order events since the last bar; the orders it places go through the
 * order layer (risk gate, store, paper broker) timed at the bar's end; then the trade reaches the
 * paper broker, so a market order placed on a bar fills at the trade that closed it. A strategy that
 * throws is stopped with its error, its open orders cancelled (or left working, when the trader set
 * `workstation trading failed-orders leave`); nothing else is affected.
 */
import type { TradeRecord } from "../../common/strategy/results.ts";
import type { SessionBar } from "../../common/strategy/engine/session.ts";
import type { SessionIntent, SessionOrderEvent } from "../../common/strategy/engine/session-broker.ts";
import { TradeBarClock, type ClosedTradeBar } from "../../common/market/trade-bars.ts";
import type { LedgerId, OrderSpec, TradingOrder } from "../../common/trading/orders.ts";
import type { TradingEngine, OrderUpdate } from "./engine.ts";
import type { MarketTrade } from "./paper-broker.ts";
import type { SessionHost } from "./session-host.ts";

/** A market trade with the wire's decimal strings (the bar clock keeps exact decimals). */
export type BarClockTrade = MarketTrade & { priceText: string; sizeText: string };

/** What a runner needs. */
export interface RunnerOptions {
  ledger: LedgerId;
  venue: string;
  symbol: string;
  tfMs: number;
  engine: TradingEngine;
  host: SessionHost;
  /** Bars fed before going live, orders disabled (warm-up from the store). */
  warmup?: SessionBar[];
  /** Lines the strategy logs. */
  log?(line: string): void;
  /** Called before a closed bar goes to the strategy (the book model syncs its book here). */
  beforeBar?(bar: ClosedTradeBar): void;
  /** Order events handed over with the first bar (a resumed session's fills so far). */
  resumeEvents?: SessionOrderEvent[];
  /** The strategy stopped with an error (its open orders are already cancelled, unless left). */
  onError?(err: Error): void;
  /** Whether a failed strategy's open orders stay working (the `leave` setting); default: cancelled. */
  leaveOrdersOnError?(): boolean;
}

/** One bar's record for the run's results. */
export interface RunnerBar extends SessionBar {
  equity: number;
  exposed: boolean;
}

/** A strategy on paper. */
export class PaperRunner {
  readonly clock: TradeBarClock;
  readonly bars: RunnerBar[] = [];
  status: "starting" | "running" | "stopped" | "failed" = "starting";
  /** Feed gaps seen (a reconnect, missed messages): trades may be missing around them; no bar is invented. */
  gaps = 0;
  error: Error | null = null;
  private readonly opts: RunnerOptions;
  private inbox: SessionOrderEvent[] = [];
  private readonly byStrategyId = new Map<number, string>();
  private readonly unsubscribe: () => void;

  constructor(opts: RunnerOptions) {
    this.opts = opts;
    this.clock = new TradeBarClock(opts.tfMs);
    this.unsubscribe = opts.engine.subscribe((u) => this.onUpdate(u));
    this.inbox.push(...(opts.resumeEvents ?? []));
  }

  /** Starts the session and feeds the warm-up bars with orders disabled. */
  async start(): Promise<void> {
    await this.opts.host.start();
    for (const bar of this.opts.warmup ?? []) await this.guard(() => this.opts.host.step(bar, [], false));
    if (this.status === "starting") this.status = "running";
  }

  /** A trade from the feed: closes a bar (the strategy runs) before the paper broker sees the trade. */
  async onTrade(trade: BarClockTrade): Promise<void> {
    await this.barOn(trade);
    this.opts.engine.onTrade(this.opts.venue, this.opts.symbol, trade);
  }

  /**
   * The bar-clock half of {@link onTrade}: the strategy's step when the trade closes a bar. Several
   * runners on one symbol each take this first; the trade then reaches the paper broker once.
   */
  async barOn(trade: BarClockTrade): Promise<void> {
    const step = this.clock.onTrade({ ts: trade.ts, price: trade.priceText, size: trade.sizeText });
    if (step.closed) await this.runBar(step.closed);
  }

  /** The feed lost messages or reconnected: the gap is counted and logged; bars go on from the next trade. */
  markGap(detail: string): void {
    this.gaps++;
    this.opts.log?.(`feed gap (${detail}): trades may be missing; no bar is invented`);
  }

  /** The venue clock (live): closes the forming bar once its end plus the grace has passed. */
  async onClock(venueNow: number): Promise<void> {
    const closed = this.clock.onClock(venueNow);
    if (closed) await this.runBar(closed);
  }

  /** End of a replay (or a stop): the forming bar closes; orders still open stay open. */
  async finish(): Promise<void> {
    const closed = this.clock.flush();
    if (closed) await this.runBar(closed);
    await this.stop();
  }

  /** Stops the session (open orders stay as they are). */
  async stop(): Promise<void> {
    this.unsubscribe();
    if (this.status === "running" || this.status === "starting") this.status = "stopped";
    await this.opts.host.stop();
  }

  /** The strategy's round trips (fills' venue times), the open one marked at `mark`. */
  trades(mark: number): TradeRecord[] {
    return this.opts.engine.account(this.opts.venue).ledger(this.opts.ledger, this.opts.symbol).trades(mark);
  }

  private async runBar(closed: ClosedTradeBar): Promise<void> {
    if (this.status !== "running") return;
    this.opts.beforeBar?.(closed);
    const b = closed.bar;
    const bar: SessionBar = { time: b.time, open: Number(b.open), high: Number(b.high), low: Number(b.low), close: Number(b.close), volume: Number(b.volume) };
    const events = this.inbox;
    this.inbox = [];
    const result = await this.guard(() => this.opts.host.step(bar, events, true));
    if (result) {
      for (const line of result.logs) this.opts.log?.(line);
      for (const intent of result.intents) this.act(intent, b.time + this.opts.tfMs);
    }
    const sub = this.opts.engine.account(this.opts.venue).ledger(this.opts.ledger, this.opts.symbol);
    this.bars.push({ ...bar, equity: sub.acct.equityAt(bar.close), exposed: sub.size !== 0 });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (err) {
      this.status = "failed";
      this.error = err instanceof Error ? err : new Error(String(err));
      if (this.opts.leaveOrdersOnError?.() !== true) this.opts.engine.cancelAll("the strategy stopped with an error", this.clock.current?.lastTradeTime ?? 0, this.opts.ledger);
      this.opts.onError?.(this.error);
      return null;
    }
  }

  private act(intent: SessionIntent, time: number): void {
    if (intent.kind === "cancel") {
      const id = this.byStrategyId.get(intent.id);
      if (id) this.opts.engine.cancel(id, "cancelled by the strategy", time);
      return;
    }
    const r = intent.req;
    const spec: OrderSpec = {
      venue: this.opts.venue,
      symbol: this.opts.symbol,
      side: r.side,
      type: r.type ?? "market",
      size: r.size,
      price: (r.type ?? "market") === "market" ? null : (r.price ?? null),
      tif: "GTC",
      ...(r.stopLoss !== undefined ? { stopLoss: r.stopLoss } : {}),
      ...(r.takeProfit !== undefined ? { takeProfit: r.takeProfit } : {}),
      ...(r.closeAll ? { closeAll: true } : {}),
      tag: r.tag ?? null,
    };
    this.opts.engine.place(spec, this.opts.ledger, { createdTime: time, strategyOrderId: intent.id, childStrategyIds: intent.childIds });
  }

  /** Turns the order layer's updates of this ledger into the session's order events. */
  private onUpdate(u: OrderUpdate): void {
    const o = u.order;
    if (o.ledger !== this.opts.ledger || o.symbol !== this.opts.symbol || o.strategyOrderId === null) return;
    this.byStrategyId.set(o.strategyOrderId, o.id);
    const id = o.strategyOrderId;
    if (u.fill) this.inbox.push({ kind: "fill", orderId: id, side: u.fill.side, size: u.fill.size, price: u.fill.price, fee: u.fill.fee, time: u.fill.venueTime });
    const done = doneStatus(o);
    if (done && (u.fill || o.status !== "filled")) this.inbox.push({ kind: "done", orderId: id, status: done, reason: o.reason });
    else if (o.status === "accepted" && o.parentId !== null) {
      this.inbox.push({ kind: "opened", orderId: id, side: o.side, type: o.type, size: o.size, price: o.price, tag: o.tag ?? null });
    }
  }
}

function doneStatus(o: TradingOrder): "filled" | "cancelled" | "rejected" | null {
  if (o.status === "filled") return "filled";
  if (o.status === "canceled" || o.status === "expired") return "cancelled";
  if (o.status === "rejected") return "rejected";
  return null;
}
