/**
 * Core's trading service: the order layer on the app database (restored at start: accounts,
 * ledgers, open orders, the kill switch), fed by the live market bus, with manual orders and
 * strategy sessions on paper. A session is written to the store before it starts; at a restart the
 * running ones start again with their fills handed back, so position and cash are what they were.
 */
import crypto from "node:crypto";
import type { AccountView, FailedOrdersPolicy, PaperFillView, PositionView, SessionView, TradingModeView } from "../../common/api/trading.ts";
import { ApiError } from "../../common/api/index.ts";
import { TIMEFRAMES, type Timeframe } from "../../common/market/bars.ts";
import type { StrategyParams } from "../../common/strategy/api.ts";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import type { SessionOrderEvent } from "../../common/strategy/engine/session-broker.ts";
import { MANUAL_LEDGER, type OrderSpec, type TradingFill, type TradingOrder } from "../../common/trading/orders.ts";
import { isOpenStatus } from "../../common/trading/state-machine.ts";
import type { FeedManager } from "../feeds/manager.ts";
import type { Logger } from "../log.ts";
import type { AppDb } from "../store/app-db.ts";
import { asApiCompileError } from "../strategy/compile.ts";
import { prepareStrategy, resolveLimits } from "../strategy/runner.ts";
import type { WorkerPool } from "../workers/pool.ts";
import { TradingEngine } from "./engine.ts";
import { attachLiveFeed, type LiveFeed } from "./live-feed.ts";
import { DEFAULT_RISK_LIMITS } from "./risk.ts";
import { PaperRunner } from "./runner.ts";
import { WorkerSessionHost } from "./session-host.ts";
import { SqliteTradingStore, type StoredSession } from "./store.ts";
import { failedOrdersPolicy } from "./failed-orders.ts";
import { VenueRules } from "./venue-rules.ts";
import { warmupBars, type StoredBarSource } from "./warmup.ts";

/** Bars a live session warms up on before its first live bar. */
const WARMUP_BARS = 200;
/** Fee rate of core's paper fills (maker and taker). */
const CORE_COMMISSION = 0.001;

/**
 * A session's fill settings when the trader gives none: the book model (core subscribes every
 * venue's book with its trades), core's fee rate, no slippage or latency.
 */
export const DEFAULT_SESSION_FILL: PaperFillView = { fillModel: "book", makerFee: CORE_COMMISSION, takerFee: CORE_COMMISSION, slippageBps: 0, latencyMs: 0 };

/** A session's fill settings: what the trader gave, the defaults for the rest. */
export function sessionFill(given: Partial<PaperFillView> = {}): PaperFillView {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<PaperFillView>;
  return { ...DEFAULT_SESSION_FILL, ...defined };
}

/** What the service needs. */
export interface TradingServiceDeps {
  appDb: () => AppDb;
  pool: WorkerPool;
  feeds: Pick<FeedManager, "bus" | "acquire" | "candles" | "instruments" | "cachedInstruments">;
  log: Logger;
  /** The local market store's bars, tried before REST klines for warm-up. */
  storedBars?: StoredBarSource;
}

/** How a session was started (stored, so a restart can start it again). */
export interface SessionSpec {
  source: string;
  filename: string;
  venue: string;
  symbol: string;
  timeframe: Timeframe;
  cash: number;
  params?: StrategyParams;
  /** Fill model and costs (stored with the session; sessions stored before it had none: the defaults). */
  fill?: PaperFillView;
}

interface Running {
  id: string;
  spec: SessionSpec;
  runner: PaperRunner;
  host: WorkerSessionHost;
  log: string[];
}

/** Log lines kept per session for the Trading panel. */
const LOG_LINES = 200;

interface Tap {
  feed: LiveFeed;
  release: () => void;
  runners: PaperRunner[];
}

/** The order layer and paper sessions of a running core. */
export class TradingService {
  private readonly deps: TradingServiceDeps;
  private engineValue: TradingEngine | null = null;
  private store: SqliteTradingStore | null = null;
  private readonly sessions = new Map<string, Running>();
  private readonly taps = new Map<string, Tap>();
  private readonly rules: VenueRules;

  constructor(deps: TradingServiceDeps) {
    this.deps = deps;
    this.rules = new VenueRules(deps.feeds, CORE_COMMISSION, deps.log);
  }

  /** The order layer, restored from the app database on first use. */
  engine(): TradingEngine {
    if (this.engineValue) return this.engineValue;
    this.store = new SqliteTradingStore(this.deps.appDb().db);
    const engine = new TradingEngine({ store: this.store, limits: DEFAULT_RISK_LIMITS, fillModel: DEFAULT_SESSION_FILL.fillModel, pricing: new Pricing({ commission: CORE_COMMISSION, slippageBps: 0 }), idPrefix: `p${Date.now().toString(36)}`, startingBalances: { USD: 100_000, USDT: 100_000 }, instrumentRules: (venue, symbol) => this.rules.of(venue, symbol) });
    // Each session's own fill settings, before its open orders go back on their brokers.
    for (const s of this.store.load().sessions) engine.setLedgerFill(s.id, sessionFill((s.body as SessionSpec).fill));
    engine.restore();
    this.engineValue = engine;
    for (const o of engine.allOrders()) if (isOpenStatus(o.status)) this.tap(o.venue, o.symbol);
    return engine;
  }

  /** Starts again every session stored as running (after a restart). */
  async resume(): Promise<void> {
    this.engine();
    for (const s of this.store!.load().sessions) {
      if (s.status !== "running") continue;
      await this.run(s.id, s.body as SessionSpec, true).catch((err: Error) => this.deps.log.error({ session: s.id, err: err.message }, "paper session could not resume"));
    }
  }

  accounts(): AccountView[] {
    return this.engine().allAccounts().map((a) => ({ id: a.id, venue: a.venue, balances: Object.fromEntries(a.balances) }));
  }

  positions(): PositionView[] {
    const engine = this.engine();
    return engine.allAccounts().flatMap((a) =>
      a.all().map((l) => {
        const last = engine.broker(a.venue, l.symbol).last?.price ?? null;
        const mark = last ?? l.acct.avgPrice;
        return { account: a.id, venue: a.venue, ledger: l.id, symbol: l.symbol, size: l.size, avgPrice: l.acct.avgPrice, last, unrealizedPnl: l.unrealized(mark), realizedPnl: l.realized(mark), fees: l.fees };
      }),
    );
  }

  orders(open: boolean): TradingOrder[] {
    return this.engine().allOrders().filter((o) => !open || isOpenStatus(o.status));
  }

  /** Every fill, or those of one instrument's orders. */
  fills(of?: { venue: string; symbol: string }): TradingFill[] {
    const engine = this.engine();
    const all = engine.allFills();
    if (!of) return all;
    return all.filter((f) => {
      const o = engine.order(f.orderId);
      return o?.venue === of.venue && o.symbol === of.symbol;
    });
  }

  /** A manual order on paper (the ticket, `workstation order`), under the venue's instrument rules. */
  async order(spec: Omit<OrderSpec, "price"> & { price?: number | undefined }): Promise<TradingOrder> {
    const full: OrderSpec = { ...spec, price: spec.type === "market" ? null : (spec.price ?? null) };
    if (full.type !== "market" && full.price === null) throw new ApiError("bad_request", `a ${full.type} order needs a price`);
    await this.rules.load(full.venue);
    this.tap(full.venue, full.symbol);
    try {
      return this.engine().place(full, MANUAL_LEDGER, { createdTime: Date.now() });
    } catch (err) {
      throw new ApiError("bad_request", (err as Error).message);
    }
  }

  cancel(id: string): boolean {
    return this.engine().cancel(id, "cancelled by the trader", Date.now());
  }

  /** Reads or sets the kill switch. */
  mode(mode?: TradingModeView): TradingModeView {
    if (mode !== undefined) this.engine().setMode(mode, Date.now());
    return this.engine().mode;
  }

  /** Reads or sets what happens to a failed strategy's open orders (stored; default cancel). */
  failedOrders(policy?: FailedOrdersPolicy): FailedOrdersPolicy {
    this.engine();
    return failedOrdersPolicy(this.store!, policy);
  }

  /** Resets a paper account (`paper:VENUE`); refused while a strategy session runs on it. */
  reset(accountId: string): AccountView {
    const engine = this.engine();
    if (!engine.allAccounts().some((a) => a.id === accountId)) throw new ApiError("not_found", `no paper account ${accountId}`);
    const busy = [...this.sessions.values()].find((s) => `paper:${s.spec.venue}` === accountId && s.runner.status === "running");
    if (busy) throw new ApiError("conflict", `session ${busy.id} runs on ${accountId}: stop it before resetting the account`);
    const a = engine.resetAccount(accountId, Date.now());
    return { id: a.id, venue: a.venue, balances: Object.fromEntries(a.balances) };
  }

  sessionViews(): SessionView[] {
    return [...this.sessions.values()].map((s) => this.view(s));
  }

  /** Starts a strategy on paper on the live market; stored before it starts. */
  async start(given: Omit<SessionSpec, "fill"> & { fill?: Partial<PaperFillView> }): Promise<SessionView> {
    const id = `s${crypto.randomBytes(4).toString("hex")}`;
    const spec: SessionSpec = { ...given, fill: sessionFill(given.fill) };
    this.engine();
    this.store!.saveSession({ id, status: "running", body: spec });
    try {
      return this.view(await this.run(id, spec, false));
    } catch (err) {
      this.store!.saveSession({ id, status: "failed", body: spec });
      throw err;
    }
  }

  async stop(id: string): Promise<SessionView> {
    const s = this.sessions.get(id);
    if (!s) throw new ApiError("not_found", `no running session ${id}`);
    await s.runner.stop();
    this.untap(s);
    this.store!.saveSession({ id, status: "stopped", body: s.spec });
    return this.view(s);
  }

  /** Stops every session (core shutting down: they stay `running` in the store and resume). */
  async close(): Promise<void> {
    for (const s of this.sessions.values()) await s.runner.stop().catch(() => undefined);
    for (const t of this.taps.values()) {
      t.feed.detach();
      t.release();
    }
    this.taps.clear();
  }

  private async run(id: string, spec: SessionSpec, resumed: boolean): Promise<Running> {
    await this.rules.load(spec.venue);
    const engine = this.engine();
    const strategy = await prepareStrategy(spec.source, spec.filename, { typecheck: false }).catch((err: unknown) => {
      throw asApiCompileError(err);
    });
    engine.openLedger(spec.venue, id, spec.symbol, spec.cash);
    engine.setLedgerFill(id, sessionFill(spec.fill));
    const host = new WorkerSessionHost(this.deps.pool, {
      id,
      strategy: { code: strategy.code, sourceMap: strategy.sourceMap, filename: strategy.filename },
      symbol: spec.symbol,
      cash: spec.cash,
      params: spec.params ?? {},
      limits: resolveLimits(),
    });
    const resumeEvents = resumed ? this.fillEvents(id) : [];
    const log: string[] = [];
    const warmup = await warmupBars(this.deps.feeds, spec.venue, spec.symbol, spec.timeframe, WARMUP_BARS, Date.now(), this.deps.storedBars).catch((err: Error) => {
      this.deps.log.warn({ session: id, err: err.message }, "paper session starts without warm-up (klines unavailable)");
      return [];
    });
    const runner = new PaperRunner({
      ledger: id,
      venue: spec.venue,
      symbol: spec.symbol,
      tfMs: TIMEFRAMES[spec.timeframe],
      engine,
      host,
      resumeEvents,
      warmup,
      log: (line) => {
        log.push(line);
        if (log.length > LOG_LINES) log.shift();
      },
      leaveOrdersOnError: () => failedOrdersPolicy(this.store!) === "leave",
      onError: (err) => {
        log.push(`stopped: ${err.message}`);
        this.deps.log.error({ session: id, err: err.message }, "paper strategy stopped with an error");
        this.store!.saveSession({ id, status: "failed", body: spec } satisfies StoredSession);
      },
    });
    await runner.start();
    const running: Running = { id, spec, runner, host, log };
    this.sessions.set(id, running);
    this.tap(spec.venue, spec.symbol).runners.push(runner);
    return running;
  }

  /** A resumed session's fills, as the order events its strategy had seen. */
  private fillEvents(ledger: string): SessionOrderEvent[] {
    const engine = this.engine();
    const ids = new Map(engine.allOrders().filter((o) => o.ledger === ledger && o.strategyOrderId !== null).map((o) => [o.id, o.strategyOrderId!]));
    return engine
      .fillsOf([...ids.keys()])
      .map((f) => ({ kind: "fill", orderId: ids.get(f.orderId)!, side: f.side, size: f.size, price: f.price, fee: f.fee, time: f.venueTime }) satisfies SessionOrderEvent);
  }

  private tap(venue: string, symbol: string): Tap {
    const key = `${venue} ${symbol}`;
    let t = this.taps.get(key);
    if (t) return t;
    const runners: PaperRunner[] = [];
    const release = this.deps.feeds.acquire(venue, symbol);
    const feed = attachLiveFeed({ bus: this.deps.feeds.bus, venue, symbol, runners: () => runners, engine: this.engine() });
    t = { feed, release, runners };
    this.taps.set(key, t);
    return t;
  }

  private untap(s: Running): void {
    const t = this.taps.get(`${s.spec.venue} ${s.spec.symbol}`);
    if (!t) return;
    const i = t.runners.indexOf(s.runner);
    if (i >= 0) t.runners.splice(i, 1);
  }

  private view(s: Running): SessionView {
    const bars = s.runner.bars;
    return {
      id: s.id,
      name: s.spec.filename.replace(/\.[cm]?[jt]s$/, ""),
      venue: s.spec.venue,
      symbol: s.spec.symbol,
      timeframe: s.spec.timeframe,
      fill: sessionFill(s.spec.fill),
      status: s.runner.status,
      error: s.runner.error?.message ?? null,
      bars: bars.length,
      equity: bars.length > 0 ? bars[bars.length - 1]!.equity : null,
      gaps: s.runner.gaps,
      equityCurve: bars.slice(-500).map((b) => b.equity),
      log: s.log.slice(),
    };
  }
}
