/**
 * The order layer: every order (a strategy's, a manual ticket's) goes through here. It assigns the
 * client order id, runs the risk gate, writes the order to the store before handing it to the
 * paper broker, moves it through the order state machine, and on every fill writes the fill and
 * the order's new state together (a fill id is stored once) before it touches the account's
 * balances and sub-ledgers. Brackets (stop-loss/take-profit) are placed as reduce-only,
 * one-cancels-other children when their entry fills. The kill switch (halt, reduce-only) is stored
 * and survives a restart; `restore` rebuilds accounts and ledgers from the stored fills and puts the
 * open orders back on their brokers, so nothing is lost or doubled.
 */
import { fillProblem } from "../../common/strategy/engine/accounting.ts";
import type { Pricing } from "../../common/strategy/engine/pricing.ts";
import type { TradeRecord } from "../../common/strategy/results.ts";
import { MANUAL_LEDGER, clientOrderId, type LedgerId, type OrderSpec, type TradingFill, type TradingOrder, validateSpec } from "../../common/trading/orders.ts";
import { applyOrderEvent, isOpenStatus, type OrderEvent } from "../../common/trading/state-machine.ts";
import { PaperAccount, assetsOf, type SubLedger } from "./ledger.ts";
import type { BookLevels, FillModel, MarketTrade, PaperBroker, PaperHooks } from "./paper-broker.ts";
import { PaperBrokers, type LedgerFill } from "./brokers.ts";
import { fillsSinceReset, markReset } from "./account-reset.ts";
import { checkRisk, type Refusal, type RiskLimits, type TradingMode } from "./risk.ts";
import type { TradingStore } from "./store.ts";

/** What changed: an order's state, with the fill (and the round trip it closed) when it filled. */
export interface OrderUpdate {
  order: Readonly<TradingOrder>;
  fill: TradingFill | null;
  trade: TradeRecord | null;
}

/** An instrument's trading rules: its tick/lot grid (in `pricing`) and the smallest order value it takes. */
export interface InstrumentRules {
  pricing: Pricing;
  /** Minimum notional (size × price, quote asset); null when the venue states none. */
  minNotional: number | null;
}

/** Options of a {@link TradingEngine}. */
export interface TradingEngineOptions {
  store: TradingStore;
  limits: RiskLimits;
  fillModel: FillModel;
  pricing: Pricing;
  latencyMs?: number;
  /** Client order id prefix. */
  idPrefix?: string;
  /** Starting balances of a new paper account. */
  startingBalances?: Readonly<Record<string, number>>;
  /** The venue's rules of an instrument (core: its instrument info); `pricing` and no minimum when undefined. */
  instrumentRules?: (venue: string, symbol: string) => InstrumentRules | undefined;
}

/** Where an order comes from. */
export interface PlaceMeta {
  /** Venue time it is placed at (an `onBar` order: the bar's end). */
  createdTime: number;
  strategyOrderId?: number | null;
  childStrategyIds?: number[];
  parentId?: string | null;
}

const MODE_KEY = "trading.mode";
const SEQ_KEY = "trading.orderSeq";

/** True for a paper account id; live accounts (`live:<venue>`) share the store but belong to core/trading/live. */
export function isPaperAccount(account: string): boolean {
  return account.startsWith("paper:");
}

/** The order layer of paper trading. */
export class TradingEngine {
  private readonly opts: TradingEngineOptions;
  private readonly store: TradingStore;
  private readonly orders = new Map<string, TradingOrder>();
  private readonly fillCounts = new Map<string, number>();
  private readonly fillLog: TradingFill[] = [];
  private readonly accounts = new Map<string, PaperAccount>();
  private readonly brokers: PaperBrokers;
  private readonly listeners = new Set<(u: OrderUpdate) => void>();
  private readonly prefix: string;
  private seq = 0;
  private modeValue: TradingMode = "normal";

  constructor(opts: TradingEngineOptions) {
    this.opts = opts;
    this.store = opts.store;
    this.prefix = opts.idPrefix ?? "paper";
    this.brokers = new PaperBrokers({ fillModel: opts.fillModel, latencyMs: opts.latencyMs ?? 0, pricingOf: (venue, symbol) => this.rules(venue, symbol).pricing, hooks: this.hooks() });
  }

  /** The kill switch. */
  get mode(): TradingMode {
    return this.modeValue;
  }

  /** Hears every order update (after it was stored). */
  subscribe(listener: (u: OrderUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The paper account of `venue` (created, and stored, on first use). */
  account(venue: string): PaperAccount {
    const id = `paper:${venue}`;
    let a = this.accounts.get(id);
    if (!a) {
      const starting = { ...(this.opts.startingBalances ?? {}) };
      a = new PaperAccount(id, venue, starting);
      this.accounts.set(id, a);
      this.store.saveAccount({ id, venue, starting });
    }
    return a;
  }

  /** Every account. */
  allAccounts(): PaperAccount[] {
    return [...this.accounts.values()];
  }

  /** Opens (or finds) a sub-ledger; a strategy's starts with `startCash` of the quote asset. */
  openLedger(venue: string, ledger: LedgerId, symbol: string, startCash: number): SubLedger {
    const account = this.account(venue);
    this.store.saveLedger({ account: account.id, ledger, symbol, startCash });
    return account.ledger(ledger, symbol, startCash);
  }

  /** The paper broker of a venue and symbol (the engine's fill model and costs). */
  broker(venue: string, symbol: string): PaperBroker {
    return this.brokers.of(venue, symbol);
  }

  /**
   * Gives a sub-ledger (a paper session) its own fill model, fees, slippage and latency. Set before
   * `restore` for the ledgers of stored sessions, so their open orders go back on the right broker.
   */
  setLedgerFill(ledger: LedgerId, fill: LedgerFill): void {
    this.brokers.setFill(ledger, fill);
  }

  /** Every order, oldest first. */
  allOrders(): TradingOrder[] {
    return [...this.orders.values()];
  }

  /** Every fill, in the order they happened. */
  allFills(): TradingFill[] {
    return this.fillLog.slice();
  }

  /** The fills of some orders, in the order they happened. */
  fillsOf(orderIds: readonly string[]): TradingFill[] {
    const ids = new Set(orderIds);
    return this.fillLog.filter((f) => ids.has(f.orderId));
  }

  /** One order by client order id. */
  order(id: string): TradingOrder | undefined {
    return this.orders.get(id);
  }

  /**
   * Places an order: id, risk gate, stored as `new`, submitted, accepted by the paper broker. A
   * refused order is stored as `rejected` with the rule and reason. Throws on a malformed spec.
   */
  place(spec: OrderSpec, ledger: LedgerId, meta: PlaceMeta): TradingOrder {
    validateSpec(spec);
    const account = this.account(spec.venue);
    const sub = account.ledger(ledger, spec.symbol);
    const broker = this.brokers.forLedger(spec.venue, spec.symbol, ledger);
    const o = this.newOrder(spec, account.id, ledger, meta);
    if (o.closeAll) {
      o.side = sub.size > 0 ? "sell" : "buy";
      o.size = Math.abs(sub.size);
    }
    const refusal = this.onGrid(o, broker) ?? this.gate(o, sub, account, broker);
    if (refusal) {
      this.transition(o, { kind: "reject" }, `${refusal.rule}: ${refusal.reason}`, meta.createdTime);
      return o;
    }
    this.store.saveOrder(o);
    this.transition(o, { kind: "submit" }, null, meta.createdTime);
    this.transition(o, { kind: "accept" }, null, meta.createdTime);
    broker.place(o, meta.createdTime, o.parentId !== null);
    return o;
  }

  /** Cancels an open order; false when it is not open. */
  cancel(id: string, reason: string, time: number): boolean {
    const o = this.orders.get(id);
    if (!o || !isOpenStatus(o.status)) return false;
    this.brokers.forLedger(o.venue, o.symbol, o.ledger).remove(id);
    this.transition(o, { kind: "cancel" }, reason, time);
    return true;
  }

  /** Cancels every open order (of one ledger when given); returns how many. */
  cancelAll(reason: string, time: number, ledger?: LedgerId): number {
    let n = 0;
    for (const o of this.orders.values()) if ((ledger === undefined || o.ledger === ledger) && this.cancel(o.id, reason, time)) n++;
    return n;
  }

  /** Sets the kill switch (stored first); `halt` cancels every open order. */
  setMode(mode: TradingMode, time: number): void {
    this.store.setState(MODE_KEY, mode);
    this.modeValue = mode;
    if (mode === "halt") this.cancelAll("trading halted (kill switch)", time);
  }

  /** A market trade on a venue's symbol. */
  onTrade(venue: string, symbol: string, trade: MarketTrade): void {
    for (const b of this.brokers.all(venue, symbol)) b.onTrade(trade);
  }

  /** A new book on a venue's symbol (numbers, best first). */
  onBook(venue: string, symbol: string, bids: BookLevels, asks: BookLevels, ts: number): void {
    for (const b of this.brokers.all(venue, symbol)) b.onBook(bids, asks, ts);
  }

  /**
   * Resets a paper account: its open orders cancelled, its balances back to the starting ones, its
   * sub-ledgers empty. Its fills stay stored (the history); a restart no longer applies them.
   */
  resetAccount(id: string, time: number): PaperAccount {
    const account = this.accounts.get(id);
    if (!account) throw new RangeError(`no paper account ${id}`);
    for (const o of this.orders.values()) if (o.account === id) this.cancel(o.id, "paper account reset", time);
    markReset(this.store, id, this.fillLog.length);
    const fresh = account.fresh();
    this.accounts.set(id, fresh);
    return fresh;
  }

  /** Rebuilds state from the store: kill switch, accounts, ledgers (from the fills), open orders back on their brokers. */
  restore(): void {
    const snap = this.store.load();
    this.modeValue = this.store.getState<TradingMode>(MODE_KEY) ?? "normal";
    this.seq = this.store.getState<number>(SEQ_KEY) ?? 0;
    for (const a of snap.accounts) this.accounts.set(a.id, new PaperAccount(a.id, a.venue, a.starting));
    for (const l of snap.ledgers) this.accounts.get(l.account)?.ledger(l.ledger, l.symbol, l.startCash);
    for (const o of snap.orders) if (isPaperAccount(o.account)) this.orders.set(o.id, o);
    const counts = fillsSinceReset(this.store);
    for (const f of snap.fills) {
      if (!isPaperAccount(f.account)) continue;
      if (counts(f.account, this.fillLog.length)) this.accounts.get(f.account)?.fill(f.ledger, f.symbol, f.side, f.size, f.price, f.fee, f.venueTime);
      this.fillCounts.set(f.orderId, (this.fillCounts.get(f.orderId) ?? 0) + 1);
      const { account: _a, ledger: _l, symbol: _s, ...fill } = f;
      this.fillLog.push(fill);
    }
    for (const o of this.orders.values()) {
      if (!isOpenStatus(o.status)) continue;
      if (o.status === "new") this.transition(o, { kind: "submit" }, null, o.updatedTime);
      if (o.status === "submitted" || o.status === "unknown") this.transition(o, { kind: "accept" }, null, o.updatedTime);
      this.brokers.forLedger(o.venue, o.symbol, o.ledger).place(o, o.updatedTime, true);
    }
  }

  private newOrder(spec: OrderSpec, account: string, ledger: LedgerId, meta: PlaceMeta): TradingOrder {
    this.seq++;
    this.store.setState(SEQ_KEY, this.seq);
    const o: TradingOrder = {
      ...spec,
      id: clientOrderId(this.prefix, this.seq),
      account,
      ledger,
      status: "new",
      filledSize: 0,
      avgPrice: null,
      createdTime: meta.createdTime,
      updatedTime: meta.createdTime,
      reason: null,
      parentId: meta.parentId ?? null,
      ocoId: null,
      strategyOrderId: meta.strategyOrderId ?? null,
      childStrategyIds: meta.childStrategyIds ?? [],
    };
    this.orders.set(o.id, o);
    return o;
  }

  /** The rules of an instrument: the venue's when known, else the engine's pricing and no minimum. */
  private rules(venue: string, symbol: string): InstrumentRules {
    return this.opts.instrumentRules?.(venue, symbol) ?? { pricing: this.opts.pricing, minNotional: null };
  }

  /**
   * Puts the order on the instrument's grid (price to the tick, size down to the lot); a size under
   * one lot is refused (`lot-size`), and so is an order worth less than the minimum notional
   * (`min-notional`: size × its price, or the last trade's for a market order).
   */
  private onGrid(o: TradingOrder, broker: PaperBroker): Refusal | null {
    const { pricing, minNotional } = this.rules(o.venue, o.symbol);
    if (o.price !== null) o.price = pricing.orderPrice(o.price);
    if (o.closeAll) return null;
    const lotted = pricing.size(o.size);
    if (lotted <= 0) return { rule: "lot-size", reason: `size ${o.size} is below the lot size` };
    o.size = lotted;
    const price = o.price ?? broker.last?.price ?? null;
    if (minNotional !== null && price !== null && lotted * price < minNotional) {
      return { rule: "min-notional", reason: `order value ${lotted * price} is below the minimum of ${minNotional}` };
    }
    return null;
  }

  private gate(o: TradingOrder, sub: SubLedger, account: PaperAccount, broker: PaperBroker): Refusal | null {
    const last = broker.last;
    const mark = last?.price ?? sub.acct.avgPrice;
    let open = 0;
    for (const x of this.orders.values()) if (x.account === account.id && x.id !== o.id && isOpenStatus(x.status)) open++;
    const accountPnl = account.all().reduce((sum, l) => sum + l.dailyPnl(l.symbol === o.symbol ? mark : l.acct.avgPrice, o.createdTime), 0);
    return checkRisk(this.opts.limits, {
      spec: o,
      position: sub.size,
      lastPrice: last?.price ?? null,
      openOrders: open,
      ledgerDailyPnl: sub.dailyPnl(mark, o.createdTime),
      accountDailyPnl: accountPnl,
      mode: this.modeValue,
    });
  }

  /** Moves `o` by `event` (the table refuses illegal ones), stores it, tells the listeners. */
  private transition(o: TradingOrder, event: OrderEvent, reason: string | null, time: number): void {
    applyOrderEvent(o, event);
    if (reason !== null) o.reason = reason;
    o.updatedTime = Math.max(o.updatedTime, time);
    this.store.saveOrder(o);
    this.emit({ order: o, fill: null, trade: null });
  }

  private emit(u: OrderUpdate): void {
    for (const l of this.listeners) l(u);
  }

  private hooks(): PaperHooks {
    return {
      fillSize: (o) => this.fillSize(o),
      refuse: (o, size, price, fee) => this.refuse(o, size, price, fee),
      fill: (o, f) => this.applyFill(o, f),
      ended: (o, how, reason) => this.transition(o, { kind: how }, reason, o.updatedTime),
    };
  }

  /** Reduce-only and close-all orders follow the position at fill time (as in a backtest). */
  private fillSize(o: TradingOrder): number {
    const left = o.size - o.filledSize;
    if (!o.closeAll && !o.reduceOnly) return left;
    const pos = this.account(o.venue).ledger(o.ledger, o.symbol).size;
    if (pos === 0 || (o.reduceOnly && (pos > 0) === (o.side === "buy"))) return 0;
    o.side = pos > 0 ? "sell" : "buy";
    const qty = o.closeAll ? Math.abs(pos) : Math.min(left, Math.abs(pos));
    o.size = o.filledSize + qty;
    return qty;
  }

  /** A strategy's fill is checked against its sub-ledger (as a backtest); a manual one against the account's balances (spot). */
  private refuse(o: TradingOrder, size: number, price: number, fee: number): string | null {
    const account = this.account(o.venue);
    if (o.ledger !== MANUAL_LEDGER) return fillProblem(account.ledger(o.ledger, o.symbol).acct, o.side === "buy" ? 1 : -1, size, price, fee);
    const { base, quote } = assetsOf(o.symbol);
    const need = o.side === "buy" ? size * price + fee : size;
    const asset = o.side === "buy" ? quote : base;
    const have = account.balances.get(asset) ?? 0;
    return have + 1e-12 >= need ? null : `insufficient ${asset}: the fill needs ${need} and the account holds ${have}`;
  }

  private applyFill(o: TradingOrder, data: Omit<TradingFill, "id">): void {
    const n = (this.fillCounts.get(o.id) ?? 0) + 1;
    const fill: TradingFill = { id: `${o.id}.${n}`, ...data };
    const next = { ...o };
    applyOrderEvent(next, { kind: "fill", size: fill.size });
    next.avgPrice = ((o.avgPrice ?? 0) * o.filledSize + fill.price * fill.size) / (o.filledSize + fill.size);
    next.updatedTime = Math.max(o.updatedTime, fill.venueTime);
    if (!this.store.saveFill({ ...fill, account: o.account, ledger: o.ledger, symbol: o.symbol }, next)) return;
    this.fillCounts.set(o.id, n);
    this.fillLog.push(fill);
    Object.assign(o, next);
    const account = this.account(o.venue);
    const trade = account.fill(o.ledger, o.symbol, fill.side, fill.size, fill.price, fill.fee, fill.venueTime);
    this.emit({ order: o, fill, trade });
    if (o.status !== "filled") return;
    if (o.ocoId) this.cancel(o.ocoId, "the other bracket order filled", fill.venueTime);
    if (account.ledger(o.ledger, o.symbol).size === 0) this.cancelReduceOnly(o, fill.venueTime);
    if (o.stopLoss !== undefined || o.takeProfit !== undefined) this.placeBracket(o, fill.venueTime);
  }

  private cancelReduceOnly(filled: TradingOrder, time: number): void {
    for (const x of this.orders.values()) {
      if (x.reduceOnly && x.ledger === filled.ledger && x.symbol === filled.symbol && isOpenStatus(x.status)) this.cancel(x.id, "position closed", time);
    }
  }

  private placeBracket(entry: TradingOrder, time: number): void {
    const side = entry.side === "buy" ? "sell" : "buy";
    const ids = entry.childStrategyIds.slice();
    const child = (type: "stop" | "limit", price: number) =>
      this.place(
        { venue: entry.venue, symbol: entry.symbol, side, type, size: entry.size, price: this.rules(entry.venue, entry.symbol).pricing.orderPrice(price), tif: "GTC", reduceOnly: true, tag: entry.tag ?? null },
        entry.ledger,
        { createdTime: time, parentId: entry.id, strategyOrderId: ids.shift() ?? null },
      );
    const sl = entry.stopLoss !== undefined ? child("stop", entry.stopLoss) : null;
    const tp = entry.takeProfit !== undefined ? child("limit", entry.takeProfit) : null;
    if (sl && tp) {
      sl.ocoId = tp.id;
      tp.ocoId = sl.id;
      this.store.saveOrder(sl);
      this.store.saveOrder(tp);
    }
  }
}
