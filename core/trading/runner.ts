/**
 * A paper strategy runner: one strategy on one venue/symbol/timeframe. Trades (live from the feed,
 * or from a replayed recording: the same path) go through the shared session bar loop
 * ({@link SessionRunner}: the bar clock, the sandboxed session); the orders it places go through the
 * order layer (risk gate, store, paper broker) timed at the bar's end; then the trade reaches the
 * paper broker, so a market order placed on a bar fills at the trade that closed it. A strategy that
 * throws is stopped with its error, its open orders cancelled (or left working, when the trader set
 * `workstation trading failed-orders leave`); nothing else is affected.
 */
import type { TradeRecord } from "../../common/strategy/results.ts";
import type { SessionBar } from "../../common/strategy/engine/session.ts";
import type { SessionIntent } from "../../common/strategy/engine/session-broker.ts";
import type { ClosedTradeBar } from "../../common/market/trade-bars.ts";
import type { LedgerId } from "../../common/trading/orders.ts";
import type { TradingEngine, OrderUpdate } from "./engine.ts";
import type { MarketTrade } from "./paper-broker.ts";
import { SessionRunner, type SessionRunnerOptions } from "./session-runner.ts";
import { intentSpec, orderEvents } from "./strategy-orders.ts";

/** A market trade with the wire's decimal strings (the bar clock keeps exact decimals). */
export type BarClockTrade = MarketTrade & { priceText: string; sizeText: string };

/** What a runner needs. */
export interface RunnerOptions extends SessionRunnerOptions {
  ledger: LedgerId;
  venue: string;
  symbol: string;
  engine: TradingEngine;
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
    if (this.opts.leaveOrdersOnError?.() === true) return;
    this.opts.engine.cancelAll("the strategy stopped with an error", this.clock.current?.lastTradeTime ?? 0, this.opts.ledger);
  }

  private act(intent: SessionIntent, time: number): void {
    if (intent.kind === "cancel") {
      const id = this.byStrategyId.get(intent.id);
      if (id) this.opts.engine.cancel(id, "cancelled by the strategy", time);
      return;
    }
    const spec = intentSpec(intent.req, this.opts.venue, this.opts.symbol);
    this.opts.engine.place(spec, this.opts.ledger, { createdTime: time, strategyOrderId: intent.id, childStrategyIds: intent.childIds });
  }

  /** Turns the order layer's updates of this ledger into the session's order events. */
  private onUpdate(u: OrderUpdate): void {
    const o = u.order;
    if (o.ledger !== this.opts.ledger || o.symbol !== this.opts.symbol || o.strategyOrderId === null) return;
    this.byStrategyId.set(o.strategyOrderId, o.id);
    this.inbox.push(...orderEvents(o, u.fill));
  }
}
