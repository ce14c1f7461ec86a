/**
 * The live order layer of one venue account (`live:<venue>`): the same order model, state machine,
 * risk gate and store as paper trading, with an {@link ExecutionAdapter} in place of the paper
 * broker. An order is written (status `new`, then `submitted`) with its client order id before it is
 * sent; a timeout, 5xx, dropped connection, `-1007` or unparseable answer makes it `unknown`, which
 * only a query by client order id resolves — it is never sent again. Fills are keyed by (venue,
 * venue order id, trade id) and stored once, whichever path (the order answer, the private stream,
 * a query) brings them first. At start and after every private-stream reconnect the open orders,
 * their fills and the balances are reconciled with the venue before any new order is taken; venue
 * orders the workstation did not place are kept as external and never touched. A strategy's order
 * ({@link LiveBroker.submit}) gets its client order id and is stored at once and sent in the
 * background; while an order of its strategy is `unknown`, no new one of that strategy is sent.
 */
import { MANUAL_LEDGER, clientOrderId, validateSpec, type LedgerId, type OrderSpec, type TradingFill, type TradingOrder } from "../../../common/trading/orders.ts";
import { IllegalTransition, applyOrderEvent, isOpenStatus, type OrderEvent, type OrderStatus } from "../../../common/trading/state-machine.ts";
import { PaperAccount } from "../ledger.ts";
import { checkRisk, type Refusal, type RiskLimits, type TradingMode } from "../risk.ts";
import type { TradingStore } from "../store.ts";
import type { ExecutionAdapter, QueryResult, UserStreamEvent, VenueFill, VenueOrderState } from "./adapter.ts";
import { applyVenueFill } from "./fills.ts";

/** Options of a {@link LiveBroker}. */
export interface LiveBrokerOptions {
  store: TradingStore;
  adapter: ExecutionAdapter;
  limits: RiskLimits;
  /** Symbols traded (reconciled at start). */
  symbols: readonly string[];
  /** How long after sending an order that a query does not find counts as never placed (the venue's recvWindow). */
  settleMs?: number;
  /** How long to wait before querying an order that is still `unknown` again (default 5 s). */
  retryMs?: number;
  /** Longest 429 Retry-After waited out before re-sending (a 429 is not executed). */
  maxRetryWaitMs?: number;
  /** Test hook: called after the order is stored and before it is sent. */
  hooks?: { beforeSend?(o: TradingOrder): void };
  log?: (line: string) => void;
  now?: () => number;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A change of one order (a status move or a fill), for the order's strategy and the UI. */
export interface LiveUpdate {
  order: TradingOrder;
  fill: TradingFill | null;
}

/** What an order carries besides its spec (a strategy's order id and bracket children, its time). */
export interface OrderMeta {
  createdTime?: number;
  strategyOrderId?: number | null;
  childStrategyIds?: number[];
}

/** The order layer of one live venue account. */
export class LiveBroker {
  readonly accountId: string;
  /** Positions and P&L, a fold of the stored fills. */
  readonly account: PaperAccount;
  /** Open orders at the venue that the workstation did not place (shown, never touched). */
  readonly external = new Map<string, VenueOrderState>();
  /** The venue's balances at the last reconciliation or stream update. */
  balances: Record<string, { free: number; locked: number }> = {};
  private readonly opts: LiveBrokerOptions;
  private readonly orders = new Map<string, TradingOrder>();
  private readonly sentAt = new Map<string, number>();
  private readonly fillIds = new Set<string>();
  private readonly lastPrice = new Map<string, number>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private ready: Promise<void> = Promise.resolve();
  private stream: { close(): void } | null = null;
  private modeValue: TradingMode = "normal";
  private prefix = "";
  private seq = 0;
  private stopped = false;
  private readonly listeners = new Set<(u: LiveUpdate) => void>();
  /** Orders stored and not yet answered by the venue (reconciliation leaves them to their sender). */
  private readonly pending = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();
  /** How many reconciliations ran (start-up and after each reconnect). */
  reconciliations = 0;

  constructor(opts: LiveBrokerOptions) {
    this.opts = opts;
    this.accountId = `live:${opts.adapter.venue}`;
    this.account = new PaperAccount(this.accountId, opts.adapter.venue, {});
  }

  private get venue(): string {
    return this.opts.adapter.venue;
  }

  /** The last trade price seen of `symbol` (null before the first). */
  lastPriceOf(symbol: string): number | null {
    return this.lastPrice.get(symbol) ?? null;
  }

  /** The venue's execution adapter (for venue extras such as Kraken's dead-man's switch). */
  get adapter(): ExecutionAdapter {
    return this.opts.adapter;
  }

  private readonly now = (): number => (this.opts.now ?? Date.now)();

  /** The kill switch of this account. */
  get mode(): TradingMode {
    return this.modeValue;
  }

  /** Every order of this account. */
  allOrders(): TradingOrder[] {
    return [...this.orders.values()];
  }

  /** One order by client order id. */
  order(id: string): TradingOrder | undefined {
    return this.orders.get(id);
  }

  /** Restores from the store, prepares the adapter, reconciles, opens the private stream. Orders wait until this is done. */
  async start(): Promise<void> {
    this.restore();
    this.ready = (async () => {
      await this.opts.adapter.prepare();
      await this.connect();
    })();
    await this.ready;
  }

  /** Closes the private stream; nothing is cancelled (an order stored but not sent yet is rejected). */
  stop(): void {
    this.stopped = true;
    for (const id of this.pending) {
      const o = this.orders.get(id);
      if (o?.status === "new") this.move(o, { kind: "reject" }, "stopped: the order layer stopped before the order was sent");
    }
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
    this.stream?.close();
  }

  private restore(): void {
    const { store } = this.opts;
    const snap = store.load();
    this.prefix = store.getState<string>(`live.${this.venue}.prefix`) ?? `w${Math.random().toString(36).slice(2, 8)}`;
    store.setState(`live.${this.venue}.prefix`, this.prefix);
    this.seq = store.getState<number>(`live.${this.venue}.orderSeq`) ?? 0;
    this.modeValue = store.getState<TradingMode>(`live.${this.venue}.mode`) ?? "normal";
    for (const o of snap.orders) if (o.account === this.accountId) this.orders.set(o.id, o);
    for (const f of snap.fills) {
      if (f.account !== this.accountId) continue;
      this.fillIds.add(f.id);
      this.account.fill(f.ledger, f.symbol, f.side, f.size, f.price, f.fee, f.venueTime);
    }
  }

  /** Opens the private stream, then reconciles; a stream drop starts this again. */
  private async connect(): Promise<void> {
    this.stream = await this.opts.adapter.openStream({ event: (e) => this.onEvent(e), closed: (why) => this.onClosed(why) });
    await this.reconcile();
  }

  private onClosed(why: string): void {
    if (this.stopped) return;
    this.opts.log?.(`${this.venue}: ${why}; reconnecting, orders wait for reconciliation`);
    this.ready = this.reconnect();
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.connect();
        return;
      } catch (err) {
        this.opts.log?.(`${this.venue}: reconnect failed (${err instanceof Error ? err.message : String(err)})`);
        await delay(Math.min(5000, 100 * 2 ** attempt));
      }
    }
  }

  /** Waits until start-up or the latest reconnect has reconciled (a reconnect during the wait is waited for too). */
  async whenReady(): Promise<void> {
    let seen: Promise<void> | null = null;
    while (seen !== this.ready) {
      seen = this.ready;
      await seen;
    }
  }

  /** Resolves once every order submitted so far has had its venue answer (or its unknown outcome queried). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Calls `fn` (which must not throw) on every order change of this account; returns the unsubscribe. */
  subscribe(fn: (u: LiveUpdate) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Queries every open order of ours, records venue orders that are not ours as external, reads balances. */
  async reconcile(): Promise<void> {
    for (const o of this.orders.values()) if (isOpenStatus(o.status) && !this.pending.has(o.id)) await this.resolve(o);
    const open = await this.opts.adapter.openOrders(this.opts.symbols);
    this.external.clear();
    for (const v of open) if (!this.orders.has(v.clientOrderId)) this.external.set(v.clientOrderId, v);
    this.balances = await this.opts.adapter.balances();
    this.reconciliations++;
  }

  /** Places an order: stored, then (once reconciled) the risk gate and venue filters, sent; the order as it stands after the answer. */
  async place(spec: OrderSpec, ledger: LedgerId = MANUAL_LEDGER, time = this.now()): Promise<TradingOrder> {
    const { order, sent } = this.enqueue(spec, ledger, { createdTime: time });
    await sent;
    return order;
  }

  /**
   * A strategy's order: stored with its client order id at once (returned now, status `new`), then
   * sent in the background once the account is reconciled; its progress comes through {@link subscribe}.
   */
  submit(spec: OrderSpec, ledger: LedgerId, meta: OrderMeta = {}): TradingOrder {
    const { order, sent } = this.enqueue(spec, ledger, meta);
    sent.catch((err: unknown) => this.opts.log?.(`${this.venue}: order ${order.id} failed (${err instanceof Error ? err.message : String(err)})`));
    return order;
  }

  private enqueue(spec: OrderSpec, ledger: LedgerId, meta: OrderMeta): { order: TradingOrder; sent: Promise<void> } {
    validateSpec(spec);
    const o = this.newOrder(spec, ledger, meta);
    this.opts.store.saveOrder(o);
    this.pending.add(o.id);
    const sent: Promise<void> = this.dispatch(o).finally(() => {
      this.pending.delete(o.id);
      this.inflight.delete(sent);
    });
    this.inflight.add(sent);
    return { order: o, sent };
  }

  /** Waits for reconciliation, gates, sends; an error while sending leaves the order `unknown`, queried later. */
  private async dispatch(o: TradingOrder): Promise<void> {
    try {
      await this.whenReady();
    } catch (err) {
      if (o.status === "new") this.move(o, { kind: "reject" }, `not-ready: the venue account could not be reconciled (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    if (o.status !== "new" || this.stopped) return;
    const refusal = this.gate(o) ?? this.unknownBlock(o) ?? this.opts.adapter.check(o, this.lastPrice.get(o.symbol) ?? null);
    if (refusal) return void this.move(o, { kind: "reject" }, `${refusal.rule}: ${refusal.reason}`);
    this.move(o, { kind: "submit" }, null);
    try {
      await this.send(o);
    } catch (err) {
      this.opts.log?.(`${this.venue}: sending ${o.id} failed (${err instanceof Error ? err.message : String(err)}); resolving by client order id`);
      this.safeMove(o, { kind: "lost" }, "the send failed; the outcome is resolved by query");
      this.retryLater(o);
    }
  }

  /** An order of the same strategy and symbol whose outcome is not known blocks new ones until it is resolved. */
  private unknownBlock(o: TradingOrder): { rule: string; reason: string } | null {
    const x = [...this.orders.values()].find((x) => x.id !== o.id && x.status === "unknown" && x.ledger === o.ledger && x.symbol === o.symbol);
    return x ? { rule: "unknown-order", reason: `order ${x.id}'s outcome at the venue is not known yet (it is being resolved by query); no new order until it is` } : null;
  }

  private async send(o: TradingOrder): Promise<void> {
    for (;;) {
      this.opts.hooks?.beforeSend?.(o);
      this.sentAt.set(o.id, this.now());
      const r = await this.opts.adapter.place(o);
      if (r.kind === "accepted") return this.applyState(o, r.state, r.fills);
      if (r.kind === "rejected") return void this.safeMove(o, { kind: "reject" }, r.reason);
      if (r.kind === "throttled") {
        if (r.retryAfterMs !== null && r.retryAfterMs <= (this.opts.maxRetryWaitMs ?? 5000)) {
          await delay(r.retryAfterMs);
          continue;
        }
        if (r.retryAfterMs === null) this.setMode("halt");
        return void this.safeMove(o, { kind: "reject" }, r.reason);
      }
      this.opts.log?.(`${this.venue}: order ${o.id} unknown (${r.reason}); resolving by client order id`);
      this.safeMove(o, { kind: "lost" }, r.reason);
      return this.resolve(o);
    }
  }

  /** Resolves an order whose state is not known by querying the venue by client order id (never by sending it again). */
  async resolve(o: TradingOrder): Promise<void> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const q: QueryResult = await this.opts.adapter.query(o);
      if (q.kind === "found") return this.applyState(o, q.state, q.fills);
      const settled = this.now() - (this.sentAt.get(o.id) ?? o.updatedTime) >= (this.opts.settleMs ?? 5000);
      if (q.kind === "missing" && settled) return void this.safeMove(o, { kind: "reject" }, "not-at-venue: the venue has no order with this client order id; it was never placed");
      await delay(100 * 2 ** attempt);
    }
    if (o.status !== "unknown") this.safeMove(o, { kind: "lost" }, "still unknown after querying the venue; queried again shortly");
    this.retryLater(o);
  }

  /** Queries an order still `unknown` again after `retryMs` (and at every reconciliation). */
  private retryLater(o: TradingOrder): void {
    if (this.stopped || this.retries.has(o.id)) return;
    const timer = setTimeout(() => {
      this.retries.delete(o.id);
      if (isOpenStatus(o.status)) void this.resolve(o).catch((err: unknown) => this.opts.log?.(`${this.venue}: resolving ${o.id} failed (${err instanceof Error ? err.message : String(err)})`));
    }, this.opts.retryMs ?? 5000);
    timer.unref();
    this.retries.set(o.id, timer);
  }

  /** Cancels an order of ours (never an external one). */
  async cancel(id: string): Promise<boolean> {
    const o = this.orders.get(id);
    if (!o || !isOpenStatus(o.status)) return false;
    const r = await this.opts.adapter.cancel(o);
    if (r.kind === "found") this.applyState(o, r.state, r.fills);
    else if (r.kind === "missing") this.safeMove(o, { kind: "cancel" }, "not at the venue");
    return o.status === "canceled";
  }

  /** Sets the kill switch (stored); `halt` cancels every open order of ours. */
  setMode(mode: TradingMode): void {
    this.opts.store.setState(`live.${this.venue}.mode`, mode);
    this.modeValue = mode;
    if (mode === "halt") for (const o of this.orders.values()) if (isOpenStatus(o.status)) void this.cancel(o.id).catch(() => false);
  }

  /** A market price (for the notional filter of market orders and the price band). */
  onPrice(symbol: string, price: number): void {
    this.lastPrice.set(symbol, price);
  }

  private onEvent(e: UserStreamEvent): void {
    if (e.kind === "balances") {
      Object.assign(this.balances, e.balances);
      return;
    }
    const o = this.orders.get(e.state.clientOrderId);
    if (!o) {
      if (isOpenStatus(e.state.status)) this.external.set(e.state.clientOrderId, e.state);
      else this.external.delete(e.state.clientOrderId);
      return;
    }
    this.applyState(o, e.state, e.fill ? [e.fill] : []);
  }

  /** Applies what the venue says about an order: its fills (each once), then its status. */
  private applyState(o: TradingOrder, state: VenueOrderState, fills: readonly VenueFill[]): void {
    for (const f of fills) this.applyFill(o, f);
    if (state.status === "accepted" && (o.status === "submitted" || o.status === "unknown")) this.safeMove(o, { kind: "accept" }, null);
    const end: Partial<Record<OrderStatus, OrderEvent>> = { canceled: { kind: "cancel" }, expired: { kind: "expire" }, rejected: { kind: "reject" } };
    const event = end[state.status];
    if (event && isOpenStatus(o.status)) this.safeMove(o, event, `venue: ${state.status}`);
    if ((state.status === "partially_filled" || state.status === "filled") && o.filledSize + 1e-12 < state.filledSize) {
      this.opts.log?.(`${this.venue}: order ${o.id} reports ${state.filledSize} filled, ${o.filledSize} known; fills follow from the stream or the next reconciliation`);
    }
  }

  private applyFill(o: TradingOrder, f: VenueFill): void {
    const applied = applyVenueFill({ store: this.opts.store, account: this.account, fillIds: this.fillIds, venue: this.venue, now: this.now() }, o, f);
    if (applied === "overfill") this.opts.log?.(`${this.venue}: fill ${f.tradeId} of ${o.id} would overfill it; ignored`);
    else if (applied !== "duplicate") this.emit(o, applied);
  }

  private emit(order: TradingOrder, fill: TradingFill | null): void {
    for (const fn of this.listeners) fn({ order, fill });
  }

  private newOrder(spec: OrderSpec, ledger: LedgerId, meta: OrderMeta): TradingOrder {
    // Read back first: another process on this database (the CLI beside core) may have taken numbers since.
    this.seq = Math.max(this.seq, this.opts.store.getState<number>(`live.${this.venue}.orderSeq`) ?? 0) + 1;
    this.opts.store.setState(`live.${this.venue}.orderSeq`, this.seq);
    const time = meta.createdTime ?? this.now();
    const o: TradingOrder = { ...spec, id: clientOrderId(this.prefix, this.seq), account: this.accountId, ledger, status: "new", filledSize: 0, avgPrice: null, createdTime: time, updatedTime: time, reason: null, parentId: null, ocoId: null, strategyOrderId: meta.strategyOrderId ?? null, childStrategyIds: meta.childStrategyIds ?? [] };
    this.orders.set(o.id, o);
    return o;
  }

  private gate(o: TradingOrder): Refusal | null {
    // The stored switch first: another process on this database (the CLI, core) may have halted the account.
    this.modeValue = this.opts.store.getState<TradingMode>(`live.${this.venue}.mode`) ?? this.modeValue;
    const sub = this.account.ledger(o.ledger, o.symbol);
    let open = 0;
    for (const x of this.orders.values()) if (x.id !== o.id && isOpenStatus(x.status)) open++;
    const last = this.lastPrice.get(o.symbol) ?? null;
    const mark = last ?? sub.acct.avgPrice;
    return checkRisk(this.opts.limits, { spec: o, position: sub.size, lastPrice: last, openOrders: open, ledgerDailyPnl: sub.dailyPnl(mark, o.createdTime), accountDailyPnl: sub.dailyPnl(mark, o.createdTime), mode: this.modeValue });
  }

  /** Moves and stores; a transition the table refuses (a late or duplicated venue message) is ignored. */
  private safeMove(o: TradingOrder, event: OrderEvent, reason: string | null): void {
    try {
      this.move(o, event, reason);
    } catch (err) {
      if (!(err instanceof IllegalTransition)) throw err;
    }
  }

  private move(o: TradingOrder, event: OrderEvent, reason: string | null): void {
    applyOrderEvent(o, event);
    if (reason !== null) o.reason = reason;
    o.updatedTime = Math.max(o.updatedTime, this.now());
    this.opts.store.saveOrder(o);
    this.emit(o, null);
  }
}
