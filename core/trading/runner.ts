/**
 * A paper strategy runner: one strategy on one venue/symbol/timeframe. Trades (live from the feed,
 * or from a replayed recording: the same path) go through the shared session bar loop
 * ({@link SessionRunner}: the bar clock, the sandboxed session); the orders it places go through the
 * order layer (risk gate, store, paper broker) timed at the bar's end; then the trade reaches the
 * paper broker, so a market order placed on a bar fills at the trade that closed it. A strategy that
 * throws is stopped with its error, its open orders cancelled; nothing else is affected.
 */
import type { TradeRecord } from "../../common/strategy/results.ts";
import type { SessionBar } from "../../common/strategy/engine/session.ts";
import type { SessionIntent } from "../../common/strategy/engine/session-broker.ts";
import type { ClosedTradeBar } from "../../common/market/trade-bars.ts";
import type { LedgerId, OrderSpec, TradingOrder } from "../../common/trading/orders.ts";
import type { TradingEngine, OrderUpdate } from "./engine.ts";
import type { MarketTrade } from "./paper-broker.ts";
import { SessionRunner, type SessionRunnerOptions } from "./session-runner.ts";

/** A market trade with the wire's decimal strings (the bar clock keeps exact decimals). */
export type BarClockTrade = MarketTrade & { priceText: string; sizeText: string };

/** What a runner needs. */
export interface RunnerOptions extends SessionRunnerOptions {
  ledger: LedgerId;
  venue: string;
  symbol: string;
  engine: TradingEngine;
  /** The strategy stopped with an error (its open orders are already cancelled). */
  onError?(err: Error): void;
}

/** One bar's record for the run's results. */
export interface RunnerBar extends SessionBar {
  equity: number;
  exposed: boolean;
}

/** A strategy on paper. */
export class PaperRunner extends SessionRunner {
  readonly bars: RunnerBar[] = [];
  private readonly opts: RunnerOptions;
  private readonly byStrategyId = new Map<number, string>();
  private readonly unsubscribe: () => void;

  constructor(opts: RunnerOptions) {
    super(opts);
    this.opts = opts;
    this.unsubscribe = opts.engine.subscribe((u) => this.onUpdate(u));
  }

  /** A trade from the feed: closes a bar (the strategy runs) before the paper broker sees the trade. */
  async onTrade(trade: BarClockTrade): Promise<void> {
    await this.barOn(trade);
    this.opts.engine.onTrade(this.opts.venue, this.opts.symbol, trade);
  }

  /** Stops the session (open orders stay as they are). */
  override async stop(): Promise<void> {
    this.unsubscribe();
    await super.stop();
  }

  /** The strategy's round trips (fills' venue times), the open one marked at `mark`. */
  trades(mark: number): TradeRecord[] {
    return this.opts.engine.account(this.opts.venue).ledger(this.opts.ledger, this.opts.symbol).trades(mark);
  }

  protected onIntents(intents: readonly SessionIntent[], closed: ClosedTradeBar): void {
    for (const intent of intents) this.act(intent, closed.bar.time + this.opts.tfMs);
  }

  protected override afterBar(bar: SessionBar): void {
    const sub = this.opts.engine.account(this.opts.venue).ledger(this.opts.ledger, this.opts.symbol);
    this.bars.push({ ...bar, equity: sub.acct.equityAt(bar.close), exposed: sub.size !== 0 });
  }

  protected override onFailed(): void {
    this.opts.engine.cancelAll("the strategy stopped with an error", this.clock.current?.lastTradeTime ?? 0, this.opts.ledger);
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
