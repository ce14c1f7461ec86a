/**
 * Core's live trading: strategies on live venue accounts behind the approval gate, run like paper
 * sessions (stored before they start, started again after a core restart) on one live broker per
 * venue account (key from the OS keychain, reconciled before any order), holding the account's lock
 * while its broker is open (refused with `conflict` while `workstation live` trades the account; given
 * back when the account's last session stops). A deployment is taken only
 * with the version hash its preview showed, and that approval is recorded. The accounts' kill
 * switches, orders and sessions are read here for the API.
 */
import crypto from "node:crypto";
import { ApiError } from "../../../common/api/index.ts";
import type { LiveAccountView, LiveApprovalView, LiveSessionView } from "../../../common/api/live.ts";
import type { PositionView, TradingModeView } from "../../../common/api/trading.ts";
import type { Timeframe } from "../../../common/market/bars.ts";
import type { StrategyParams } from "../../../common/strategy/api.ts";
import type { TradingOrder } from "../../../common/trading/orders.ts";
import { isOpenStatus } from "../../../common/trading/state-machine.ts";
import type { FeedManager } from "../../feeds/manager.ts";
import type { Logger } from "../../log.ts";
import type { SecretStore } from "../../secrets/keychain.ts";
import type { AppDb } from "../../store/app-db.ts";
import type { WorkerPool } from "../../workers/pool.ts";
import { DEFAULT_RISK_LIMITS, type RiskLimits, type TradingMode } from "../risk.ts";
import { SqliteTradingStore } from "../store.ts";
import { failedOrdersPolicy } from "../failed-orders.ts";
import type { StoredBarSource } from "../warmup.ts";
import { approvalDiff, approvalSummary, approve, isApproved, lastApproval, strategyVersion, type Deployment } from "./approval.ts";
import { AccountLockedError, accountHolder, acquireAccountLock } from "./account-lock.ts";
import { liveAccountData, livePositions, type LiveAccountData } from "./cli-support.ts";
import { checkEnv } from "./environments.ts";
import type { LiveBroker } from "./live-broker.ts";
import { startLiveSession, type LiveSession } from "./live-session.ts";
import { openLiveBroker } from "./open.ts";

/** What is deployed (the API's deployment). */
export interface LiveSpec {
  source: string;
  filename: string;
  venue: string;
  env: string;
  symbol: string;
  timeframe: Timeframe;
  params?: StrategyParams;
}

/** What the service needs. */
export interface LiveServiceDeps {
  appDb: () => AppDb;
  pool: WorkerPool;
  feeds: Pick<FeedManager, "bus" | "acquire" | "candles">;
  log: Logger;
  processEnv: NodeJS.ProcessEnv;
  secrets?: SecretStore;
  storedBars?: StoredBarSource;
  limits?: RiskLimits;
  /** Warm-up bars of a session (default 200). */
  warmupBars?: number;
  /** The data directory: core holds each open account's lock there (see `account-lock.ts`); without it, no lock. */
  dataDir?: string;
}

interface StoredLive {
  id: string;
  status: "running" | "stopped" | "failed";
  spec: LiveSpec;
  version: string;
}

interface Running extends StoredLive {
  session: LiveSession | null;
  error: string | null;
  log: string[];
}

const SESSIONS_KEY = "live.sessions";
const LOG_LINES = 200;

/** Live sessions and accounts of a running core. */
export class LiveTradingService {
  private readonly deps: LiveServiceDeps;
  private storeValue: SqliteTradingStore | null = null;
  private readonly brokers = new Map<string, { env: string; broker: Promise<LiveBroker>; release(): void }>();
  private readonly sessions = new Map<string, Running>();

  constructor(deps: LiveServiceDeps) {
    this.deps = deps;
  }

  private get store(): SqliteTradingStore {
    this.storeValue ??= new SqliteTradingStore(this.deps.appDb().db);
    return this.storeValue;
  }

  private get limits(): RiskLimits {
    return this.deps.limits ?? DEFAULT_RISK_LIMITS;
  }

  private deployment(spec: LiveSpec): Deployment {
    try {
      checkEnv(spec.venue, spec.env);
    } catch (err) {
      throw new ApiError("bad_request", (err as Error).message);
    }
    return { strategy: spec.filename, source: spec.source, params: spec.params ?? {}, venue: spec.venue, env: spec.env, account: `live:${spec.venue}`, symbol: spec.symbol, timeframe: spec.timeframe, limits: this.limits };
  }

  /** What a person must approve before `spec` runs live. */
  preview(spec: LiveSpec): LiveApprovalView {
    const d = this.deployment(spec);
    const last = lastApproval(this.store, d.strategy);
    return {
      strategy: d.strategy,
      version: strategyVersion(d.source, d.params),
      venue: d.venue,
      env: d.env,
      account: d.account,
      symbol: d.symbol,
      timeframe: spec.timeframe,
      limits: Object.fromEntries(Object.entries(d.limits).map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
      approved: isApproved(this.store, d),
      lastApproved: last ? { version: last.version, env: last.env, symbol: last.symbol, timeframe: last.timeframe, approvedAt: last.approvedAt } : null,
      diff: last ? approvalDiff(last, d) : [],
      summary: approvalSummary(this.store, d),
    };
  }

  /** Deploys `spec` live with the confirmed version hash (recorded as approved); stored before it starts. */
  async deploy(spec: LiveSpec, version: string): Promise<LiveSessionView> {
    const d = this.deployment(spec);
    const current = strategyVersion(d.source, d.params);
    if (version !== current) throw new ApiError("conflict", `the confirmed version ${version} is not this strategy's version ${current}: review the summary again`);
    this.refuseIfHeld(d.account);
    if (!isApproved(this.store, d)) approve(this.store, d, Date.now());
    const s: Running = { id: `L${crypto.randomBytes(4).toString("hex")}`, status: "running", spec, version, session: null, error: null, log: [] };
    this.sessions.set(s.id, s);
    this.persist();
    await this.run(s);
    if (s.status === "failed") throw new ApiError("unavailable", s.error ?? "the live session did not start");
    return this.view(s);
  }

  /** Refuses (`conflict`) while another process (`workstation live`) holds the account. */
  private refuseIfHeld(account: string): void {
    const holder = this.deps.dataDir ? accountHolder(this.deps.dataDir, account) : null;
    if (holder && holder.pid !== process.pid) throw new ApiError("conflict", new AccountLockedError(holder).message);
  }

  /** Stops a live session; its open orders are cancelled (or left working). */
  async stop(id: string, onStop: "cancel" | "leave" = "cancel"): Promise<LiveSessionView> {
    const s = this.sessions.get(id);
    if (!s) throw new ApiError("not_found", `no live session ${id}`);
    await s.session?.stop(onStop);
    s.status = "stopped";
    this.persist();
    await this.closeIdle(s.spec.venue);
    return this.view(s);
  }

  sessionViews(): LiveSessionView[] {
    return [...this.sessions.values()].map((s) => this.view(s));
  }

  /** The live accounts core has open (a broker per venue). */
  async accounts(): Promise<LiveAccountView[]> {
    const out: LiveAccountView[] = [];
    for (const [venue, b] of this.brokers) {
      const broker = await b.broker.catch(() => null);
      if (broker) out.push({ id: broker.accountId, venue, env: b.env, mode: broker.mode, balances: broker.balances, external: broker.external.size, reconciliations: broker.reconciliations });
    }
    return out;
  }

  /** Orders of the live accounts core has open (open ones only with `open`), oldest first. */
  async orders(open: boolean): Promise<TradingOrder[]> {
    const out: TradingOrder[] = [];
    for (const b of this.brokers.values()) {
      const broker = await b.broker.catch(() => null);
      for (const o of broker?.allOrders() ?? []) if (!open || isOpenStatus(o.status)) out.push({ ...o });
    }
    return out.sort((a, b) => a.createdTime - b.createdTime);
  }

  /** The position rows of the live accounts core has open, marked at their brokers' last prices. */
  async positions(): Promise<PositionView[]> {
    const out: PositionView[] = [];
    for (const b of this.brokers.values()) {
      const broker = await b.broker.catch(() => null);
      if (broker) out.push(...livePositions(broker.account, (symbol) => broker.lastPriceOf(symbol)));
    }
    return out;
  }

  /** One live account's stored orders, fills and positions (as `orders|positions|fills --account live:VENUE` list them), marked when core has it open. */
  async accountData(account: string): Promise<LiveAccountData> {
    const open = this.brokers.get(account.slice("live:".length));
    const broker = open ? await open.broker.catch(() => null) : null;
    return liveAccountData(this.store, account, (symbol) => broker?.lastPriceOf(symbol) ?? null);
  }

  /** A manual order on a live account core has open (risk gate, venue filters, stored, sent). */
  async order(account: string, o: { symbol: string; side: "buy" | "sell"; size: number; type: "market" | "limit"; price: number | null }): Promise<TradingOrder> {
    const venue = account.slice("live:".length);
    const open = this.brokers.get(venue);
    if (!open) throw new ApiError("not_found", `${account} is not open in core: deploy a live strategy on it first`);
    if (o.type === "limit" && o.price === null) throw new ApiError("bad_request", "a limit order needs a price");
    const broker = await open.broker;
    try {
      return await broker.place({ venue, symbol: o.symbol, side: o.side, type: o.type, size: o.size, price: o.type === "market" ? null : o.price, tif: "GTC" });
    } catch (err) {
      throw new ApiError("bad_request", (err as Error).message);
    }
  }

  /** Reads or sets a live account's kill switch; `halt` cancels its open orders at the venue (when core has it open). */
  async mode(account: string, mode?: TradingModeView): Promise<TradingModeView> {
    const venue = account.slice("live:".length);
    const open = this.brokers.get(venue);
    const broker = open ? await open.broker.catch(() => null) : null;
    if (mode === undefined) return broker?.mode ?? this.store.getState<TradingMode>(`live.${venue}.mode`) ?? "normal";
    if (broker) broker.setMode(mode);
    else this.store.setState(`live.${venue}.mode`, mode);
    this.deps.log.warn({ account, mode }, "live kill switch set");
    return mode;
  }

  /** Starts again every live session stored as running (after a restart): the account is reconciled first. */
  async resume(): Promise<void> {
    for (const stored of Object.values(this.store.getState<Record<string, StoredLive>>(SESSIONS_KEY) ?? {})) {
      const s: Running = { ...stored, session: null, error: null, log: [] };
      this.sessions.set(s.id, s);
      if (s.status === "running") await this.run(s);
    }
  }

  /** Core shutting down: sessions stop with their orders left working and stay `running` in the store (they resume). */
  async close(): Promise<void> {
    for (const s of this.sessions.values()) await s.session?.stop("leave").catch(() => undefined);
    for (const b of this.brokers.values()) {
      (await b.broker.catch(() => null))?.stop();
      b.release();
    }
    this.brokers.clear();
  }

  /** Closes a venue account's broker (and gives its lock back) once none of its sessions runs. */
  private async closeIdle(venue: string): Promise<void> {
    const open = this.brokers.get(venue);
    if (!open || [...this.sessions.values()].some((s) => s.spec.venue === venue && s.status === "running")) return;
    this.brokers.delete(venue);
    (await open.broker.catch(() => null))?.stop();
    open.release();
  }

  private persist(): void {
    const all: Record<string, StoredLive> = {};
    for (const s of this.sessions.values()) all[s.id] = { id: s.id, status: s.status, spec: s.spec, version: s.version };
    this.store.setState(SESSIONS_KEY, all);
  }

  /** The venue account's broker, opened (key, clock, filters, reconciliation) on first use. */
  private broker(venue: string, env: string, symbols: string[]): Promise<LiveBroker> {
    const open = this.brokers.get(venue);
    if (open && open.env !== env) return Promise.reject(new ApiError("conflict", `live:${venue} is open on ${open.env}; stop its sessions before trading ${env}`));
    if (open) return open.broker;
    const log = (line: string) => this.deps.log.info({ account: `live:${venue}` }, line);
    let release: () => void;
    try {
      release = this.deps.dataDir ? acquireAccountLock(this.deps.dataDir, `live:${venue}`, "core") : () => undefined;
    } catch (err) {
      return Promise.reject(err instanceof AccountLockedError ? new ApiError("conflict", err.message) : err);
    }
    const broker = openLiveBroker({ venue, env: checkEnv(venue, env), store: this.store, limits: this.limits, symbols, processEnv: this.deps.processEnv, log, ...(this.deps.secrets ? { secrets: this.deps.secrets } : {}) });
    this.brokers.set(venue, { env, broker, release });
    broker.catch(() => {
      this.brokers.delete(venue);
      release();
    });
    return broker;
  }

  private async run(s: Running): Promise<void> {
    const { spec } = s;
    const push = (line: string) => {
      s.log.push(line);
      if (s.log.length > LOG_LINES) s.log.shift();
    };
    try {
      const broker = await this.broker(spec.venue, spec.env, [spec.symbol]);
      const cash = broker.balances[spec.symbol.split("/")[1] ?? ""]?.free ?? 100_000;
      s.session = await startLiveSession(
        { id: s.id, source: spec.source, filename: spec.filename, venue: spec.venue, symbol: spec.symbol, timeframe: spec.timeframe, params: spec.params ?? {}, ledger: s.id, cash },
        { broker, store: this.store, feeds: this.deps.feeds, pool: this.deps.pool, log: push, warmupBars: this.deps.warmupBars ?? 200, ...(this.deps.storedBars ? { storedBars: this.deps.storedBars } : {}), onError: (err) => this.failed(s, err.message), leaveOrdersOnError: () => failedOrdersPolicy(this.store) === "leave" },
      );
    } catch (err) {
      this.failed(s, err instanceof Error ? err.message : String(err));
    }
  }

  private failed(s: Running, message: string): void {
    s.status = "failed";
    s.error = message;
    s.log.push(`stopped: ${message}`);
    this.deps.log.error({ session: s.id, err: message }, "live session stopped");
    this.persist();
  }

  private view(s: Running): LiveSessionView {
    const sum = s.session?.summary();
    const status = s.status === "running" ? (sum?.status as LiveSessionView["status"] | undefined) ?? "starting" : s.status;
    return {
      id: s.id,
      name: s.spec.filename.replace(/\.[cm]?[jt]s$/, ""),
      venue: s.spec.venue,
      symbol: s.spec.symbol,
      timeframe: s.spec.timeframe,
      status,
      error: s.error,
      bars: sum?.bars ?? 0,
      equity: s.session?.runner.equityCurve.at(-1) ?? null,
      gaps: sum?.gaps ?? 0,
      equityCurve: s.session?.runner.equityCurve.slice() ?? [],
      log: s.log.slice(),
      live: true,
      account: `live:${s.spec.venue}`,
      env: s.spec.env,
      version: s.version,
      orders: sum?.orders.total ?? 0,
      position: sum?.position.size ?? 0,
    };
  }
}
