/**
 * A strategy on a live venue account: the paper runner's bar loop ({@link SessionRunner}: bar clock,
 * sandboxed session) with the live order layer ({@link LiveBroker}) as an asynchronous order sink.
 * An order intent gets its client order id and is stored at once; the broker sends it once the
 * account is reconciled, after its risk gate and the venue's filters; acknowledgements and fills
 * from the order answer, the private stream or a query come back as the strategy's order events.
 * No bar is stepped while the account is being reconciled (start-up, a private-stream reconnect),
 * so the strategy sees the fills of the gap before it may trade again. Brackets and `ctx.close()` are
 * emulated on the trade feed ({@link LiveBrackets}).
 */
import type { ClosedTradeBar } from "../../../common/market/trade-bars.ts";
import type { SessionIntent, SessionOrderEvent } from "../../../common/strategy/engine/session-broker.ts";
import { isOpenStatus } from "../../../common/trading/state-machine.ts";
import type { LedgerId, OrderSpec, TradingOrder } from "../../../common/trading/orders.ts";
import type { TradingEngine } from "../engine.ts";
import type { SessionBar } from "../../../common/strategy/engine/session.ts";
import { SessionRunner, type SessionRunnerOptions, type SessionTrade } from "../session-runner.ts";
import { intentSpec, orderEvents } from "../strategy-orders.ts";
import type { TradingStore } from "../store.ts";
import type { LiveBroker, LiveUpdate } from "./live-broker.ts";
import { LiveBrackets } from "./live-brackets.ts";

/** What a live runner needs. */
export interface LiveRunnerOptions extends SessionRunnerOptions {
  broker: LiveBroker;
  ledger: LedgerId;
  venue: string;
  symbol: string;
  /** Whether a failed strategy's open orders stay working; default: cancelled. */
  leaveOrdersOnError?(): boolean;
  /** The strategy's cash, the base of its equity curve (default 0: the curve is its P&L). */
  cash?: number;
}

/** Points kept of a live session's equity curve. */
const CURVE_POINTS = 500;

/** A strategy on a live account. */
export class LiveRunner extends SessionRunner {
  /** Bars stepped live. */
  barsSeen = 0;
  /**
   * The strategy's equity after each live bar (its last {@link CURVE_POINTS}): its cash plus the P&L
   * of its ledger's fills (realized, fees, and the position marked at the bar's close), like paper's.
   */
  readonly equityCurve: number[] = [];
  /** Fills of the strategy's ledger: those handed over at a resume plus those since. */
  fills = 0;
  private readonly opts: LiveRunnerOptions;
  private readonly byStrategyId = new Map<number, string>();
  private readonly mine = new Set<string>();
  private readonly unsubscribe: () => void;
  private readonly brackets: LiveBrackets;

  constructor(opts: LiveRunnerOptions) {
    super(opts);
    this.opts = opts;
    this.brackets = new LiveBrackets({ broker: opts.broker, ledger: opts.ledger, venue: opts.venue, symbol: opts.symbol, send: (spec, id, time) => void this.send(spec, id, time, []), push: (...events) => this.inbox.push(...events) });
    this.unsubscribe = opts.broker.subscribe((u) => this.onUpdate(u));
    this.fills = (opts.resumeEvents ?? []).filter((e) => e.kind === "fill").length;
  }

  /** Where the feed's trades and books go after the bar step: the broker takes the price (risk gate, notional filter). */
  get marketSink(): Pick<TradingEngine, "onTrade" | "onBook"> {
    return {
      onTrade: (_venue, symbol, trade) => {
        this.opts.broker.onPrice(symbol, trade.price);
        if (symbol === this.opts.symbol && this.status === "running") this.brackets.onPrice(trade.price, trade.ts);
      },
      onBook: () => undefined,
    };
  }

  /** Waits for any reconciliation in progress, then the bar-clock step of the trade. */
  override async barOn(trade: SessionTrade): Promise<void> {
    await this.opts.broker.whenReady();
    await super.barOn(trade);
  }

  /** Waits for any reconciliation in progress, then the venue-clock step. */
  override async onClock(venueNow: number): Promise<void> {
    await this.opts.broker.whenReady();
    await super.onClock(venueNow);
  }

  /** Stops the session (open orders stay as they are: see {@link cancelOpen}). */
  override async stop(): Promise<void> {
    this.unsubscribe();
    await super.stop();
  }

  /** The strategy's open orders at the venue. */
  openOrders(): TradingOrder[] {
    return this.opts.broker.allOrders().filter((o) => o.ledger === this.opts.ledger && isOpenStatus(o.status));
  }

  /** Cancels the strategy's open orders; how many are cancelled. */
  async cancelOpen(): Promise<number> {
    let n = 0;
    for (const o of this.openOrders()) if (await this.opts.broker.cancel(o.id).catch(() => false)) n++;
    return n;
  }

  protected onIntents(intents: readonly SessionIntent[], closed: ClosedTradeBar): void {
    for (const intent of intents) this.act(intent, closed.bar.time + this.opts.tfMs);
  }

  protected override afterBar(bar: SessionBar): void {
    this.barsSeen++;
    const sub = this.opts.broker.account.ledger(this.opts.ledger, this.opts.symbol);
    this.equityCurve.push((this.opts.cash ?? 0) + sub.acct.equityAt(bar.close) - sub.startCash);
    if (this.equityCurve.length > CURVE_POINTS) this.equityCurve.shift();
  }

  protected override onFailed(): void {
    if (this.opts.leaveOrdersOnError?.() === true) return;
    void this.cancelOpen();
  }

  private act(intent: SessionIntent, time: number): void {
    if (intent.kind === "cancel") {
      if (this.brackets.cancel(intent.id)) return;
      const id = this.byStrategyId.get(intent.id);
      if (id) void this.opts.broker.cancel(id).catch((err: unknown) => this.base.log?.(`cancel of ${id} failed: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    const spec = intentSpec(intent.req, this.opts.venue, this.opts.symbol);
    if (spec.closeAll === true) {
      const close = this.brackets.closeAll(spec);
      if (typeof close === "string") this.inbox.push({ kind: "done", orderId: intent.id, status: "cancelled", reason: close });
      else this.send(close, intent.id, time, []);
      return;
    }
    const o = this.send(this.brackets.entrySpec(spec), intent.id, time, intent.childIds);
    if (o && (spec.stopLoss !== undefined || spec.takeProfit !== undefined)) this.brackets.track(o, spec, intent.childIds);
  }

  /** Stores and sends one of the strategy's orders; a refused spec is reported to the strategy. */
  private send(spec: OrderSpec, strategyId: number, time: number, childIds: readonly number[]): TradingOrder | null {
    try {
      const o = this.opts.broker.submit(spec, this.opts.ledger, { createdTime: time, strategyOrderId: strategyId, childStrategyIds: [...childIds] });
      this.mine.add(o.id);
      this.byStrategyId.set(strategyId, o.id);
      return o;
    } catch (err) {
      this.inbox.push({ kind: "done", orderId: strategyId, status: "rejected", reason: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  /** This session's orders report every event; an earlier run's order of the same strategy reports its fills only. */
  private onUpdate(u: LiveUpdate): void {
    const o = u.order;
    if (o.ledger !== this.opts.ledger || o.symbol !== this.opts.symbol) return;
    if (u.fill) this.fills++;
    if (this.mine.has(o.id)) {
      this.inbox.push(...orderEvents(o, u.fill));
      this.brackets.onOrder(o);
    }
    else if (u.fill && o.strategyOrderId !== null) this.inbox.push(...orderEvents({ ...o, status: "partially_filled" }, u.fill));
  }
}

/**
 * The order events a restarted strategy had seen: the fills of its ledger's orders, from the store,
 * then (when its last order id is not a filled one) a `done` of that id, so the session numbers its
 * new orders after every stored one (a `done` of an order it does not hold open changes nothing else).
 */
export function liveResumeEvents(store: TradingStore, account: string, ledger: LedgerId): SessionOrderEvent[] {
  const snap = store.load();
  const orders = snap.orders.filter((o) => o.account === account && o.ledger === ledger && o.strategyOrderId !== null);
  const ids = new Map(orders.map((o) => [o.id, o.strategyOrderId!]));
  const events: SessionOrderEvent[] = snap.fills.filter((f) => ids.has(f.orderId)).map((f) => ({ kind: "fill", orderId: ids.get(f.orderId)!, side: f.side, size: f.size, price: f.price, fee: f.fee, time: f.venueTime }));
  const last = Math.max(0, ...orders.flatMap((o) => [o.strategyOrderId!, ...o.childStrategyIds]));
  if (last > 0 && !events.some((e) => e.orderId === last)) events.push({ kind: "done", orderId: last, status: "cancelled", reason: "an order of an earlier run" });
  return events;
}
