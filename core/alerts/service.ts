/**
 * The alert service in core: rules live in SQLite and are evaluated on the live feed by the shared
 * {@link AlertEngine}, whether or not any window is open. Each fire is recorded once under its
 * idempotency key before anything is delivered (the log is the source of truth); desktop listeners
 * (the `alerts.fires` stream) and the webhook dispatcher deliver from there. At start, each watched
 * symbol is caught up from the market store's recorded trades since its rules were created: fires
 * already in the log are skipped by key, new ones — missed while core was down — are marked late
 * with their delay. Live trades that arrive during the catch-up wait and follow it in order.
 * Strategy rules run their saved strategy's session ({@link StrategySignals}) on the same trades and
 * clock; their fires are recorded as their asynchronous steps produce them, under the same keys.
 * Rules that cloud sync changed in the database are picked up by {@link AlertService.reload}.
 */
import type Database from "better-sqlite3";
import { AlertEngine, type AlertTrade } from "../../common/alerts/engine.ts";
import type { RuleFiringState } from "../../common/alerts/rule-runner.ts";
import type { AlertPause, AlertRule, KeyedFire } from "../../common/alerts/types.ts";
import type { AlertLogEntry, AlertRuleRow } from "../../common/api/alerts.ts";
import { ApiError } from "../../common/api/index.ts";
import { TIMEFRAMES } from "../../common/market/bars.ts";
import { AlertDb, type NewFire } from "./alert-db.ts";
import { checkRule } from "./rule-check.ts";
import { ScreenRules, type ScreenRuleDeps } from "./screen-rule.ts";
import { StrategySignals, type SignalHostFactory } from "./strategy-signals.ts";
import { WebhookDispatcher, type WebhookOptions } from "./webhook.ts";

/** A live fire more than this after it was due (venue clock) is marked late. */
export const LATE_AFTER_MS = 5000;
/** A catch-up reads at most this much recorded history (venue ms before now). */
export const CATCH_UP_MAX_MS = 3 * 86_400_000;
/** The bar clock's close grace (its default): a bar-close fire is due this long after the bar's end. */
const CLOSE_GRACE_MS = 2000;
/**
 * How often (local ms) a watched series' `evaluatedUntil` is stored. It is shown, never read back (a
 * catch-up starts at `evaluatedFrom`), so it may lag: rewriting every rule row each second was a
 * third of the app database's writes under load.
 */
export const PROGRESS_EVERY_MS = 10_000;

/**
 * A frame's fires wait for its remaining trades at most this long (ms of handling since the first
 * of them): past it they are committed and notified at once, so a long frame (a backlog, every bar
 * closing at once) does not hold its first fires behind the evaluation of all its trades.
 */
export const GROUP_COMMIT_MAX_WAIT_MS = 1;

/** The live market as the alert service needs it. */
export interface AlertFeed {
  /** Subscribes to trades of (venue, symbol); returns the unsubscribe function. Throws for an unknown venue. */
  subscribe(venue: string, symbol: string, onTrade: (trade: AlertTrade) => void): () => void;
  /** The venue's clock (local clock plus the measured offset). */
  venueNow(venue: string): number;
  /** Whether the venue lists the symbol; undefined when its instruments are not known. */
  knownSymbol(venue: string, symbol: string): boolean | undefined;
  /** Null when the venue exists, else the one-line reason. */
  venueProblem(venue: string): string | null;
}

/** Recorded trades of a symbol from `from` (venue ms), in venue-time order. */
export type TradeHistory = (venue: string, symbol: string, from: number) => Promise<AlertTrade[]>;

/** Options of an {@link AlertService}. */
export interface AlertServiceOptions {
  db: () => Database.Database;
  feed: AlertFeed;
  history?: TradeHistory;
  secret: WebhookOptions["secret"];
  post?: WebhookOptions["post"];
  webhook?: Pick<WebhookOptions, "backoffMs" | "maxAttempts" | "timeoutMs">;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => number;
  /** How often the venue clocks close bars without a later trade; default 1,000 ms. */
  clockMs?: number;
  /** Strategy alerts: the saved strategies and their sessions (without it, strategy rules are refused). */
  strategies?: AlertStrategies;
  /** Screen alerts: the universes and the market store (without it, screen rules are refused). */
  screens?: ScreenRuleDeps;
  /** Called after each batch of fires is committed and notified, with its timings (benchmarks). */
  onBatch?: (batch: FireBatchStats) => void;
}

/** One group commit of fires: how many, how many were new, and the ms its commit and notifications took. */
export interface FireBatchStats {
  fires: number;
  fresh: number;
  commitMs: number;
  notifyMs: number;
}

/** The saved strategies strategy alerts run. */
export interface AlertStrategies {
  exists(name: string): boolean;
  hosts: SignalHostFactory;
}

interface Watch {
  off: () => void;
  /** Live trades waiting for the catch-up. */
  queue: AlertTrade[] | null;
  lastTs: number;
  /** Ids of the trades at `lastTs`, so a live trade the store also had is not counted twice. */
  lastIds: Set<string>;
  saved: number;
  /** Local time `saved` was stored. */
  savedAt: number;
  /** Ids of the rules on this series. */
  rules: Set<string>;
  /** Rules not yet evaluated on any trade: the next trade's time is where their catch-up will start. */
  unstarted: Set<string>;
  /** Venue time of the last trade the catch-up read from the store (strategy fires up to it are catch-up fires). */
  caughtUpTo: number;
}

/** Alert rules evaluated in core. */
export class AlertService {
  private readonly o: AlertServiceOptions;
  private readonly adb: AlertDb;
  private readonly rules = new Map<string, AlertRule>();
  private readonly engine: AlertEngine;
  private readonly signals: StrategySignals;
  /** Screen rules (core/alerts/screen-rule.ts), when the service has a store. */
  readonly screens: ScreenRules | null;
  private readonly watches = new Map<string, Watch>();
  private readonly listeners = new Set<(entry: AlertLogEntry) => void>();
  private readonly webhooks: WebhookDispatcher;
  private catchingUp = false;
  private pending: NewFire[] = [];
  /** Whether a commit of `pending` is queued for the end of the current frame. */
  private scheduled = false;
  /** When (performance.now()) the first fire of `pending` was collected; null when none is. */
  private pendingSince: number | null = null;
  private clock: NodeJS.Timeout | null = null;

  constructor(options: AlertServiceOptions) {
    this.o = options;
    this.adb = new AlertDb(options.db());
    this.engine = new AlertEngine({ fire: (f) => this.recordFire(f), pause: (p) => this.onPause(p) });
    const noStrategies = (): never => {
      throw new Error("strategy alerts are not available here");
    };
    const signalOutput = { fire: (f: KeyedFire) => this.recordSignal(f), pause: (p: AlertPause) => this.onPause(p) };
    this.signals = new StrategySignals(signalOutput, options.strategies?.hosts ?? (async () => noStrategies()));
    this.screens = options.screens ? new ScreenRules(options.screens, { fire: (f) => this.recordScreen(f), pause: (p) => this.onPause(p) }) : null;
    this.webhooks = new WebhookDispatcher({ db: this.adb, rule: (id) => this.rules.get(id), secret: options.secret, post: options.post, now: this.now, ...options.webhook, onError: (m) => options.log.warn({}, m) });
  }

  private readonly now = (): number => (this.o.now ?? Date.now)();

  /** Loads the stored rules, catches each watched symbol up from the store, then follows the live feed. */
  async start(): Promise<void> {
    const rows = this.adb.rules();
    for (const row of rows) this.load(row, true);
    const from = new Map<string, number>();
    for (const row of rows) {
      const k = `${row.rule.venue}\u0000${row.rule.symbol}`;
      from.set(k, Math.min(from.get(k) ?? Infinity, row.evaluatedFrom ?? row.createdAt));
    }
    const floor = this.now() - CATCH_UP_MAX_MS;
    for (const [k, since] of from) from.set(k, Math.max(since, floor));
    await Promise.all([...from].map(([k, since]) => this.catchUp(k, since)));
    this.clock = setInterval(() => this.tick(), this.o.clockMs ?? 1000);
    this.clock.unref();
    this.screens?.start();
    this.webhooks.kick();
  }

  /** Stops evaluation and delivery. */
  stop(): void {
    this.commit();
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
    this.webhooks.stop();
    this.screens?.stop();
    void this.signals.close();
    for (const w of this.watches.values()) w.off();
    this.watches.clear();
  }

  /** Validates a rule as {@link add} does (its instrument, venue and strategy); throws a bad_request naming the field. */
  validate(raw: unknown): AlertRule {
    return checkRule(raw, this.o.feed, this.o.strategies, this.screens ?? undefined);
  }

  /** Validates, stores and starts a rule (replacing one with the same id). */
  add(raw: unknown): AlertRuleRow {
    const rule = this.validate(raw);
    this.install(rule);
    this.adb.saveRule(rule, this.now());
    this.prune();
    return this.row(rule.id);
  }

  /** Resolves once every strategy rule has handled what it was given (tests). */
  signalsSettled(): Promise<void> {
    return this.signals.drained();
  }

  /** Every rule with its state. */
  list(): AlertRuleRow[] {
    return this.adb.rules();
  }

  /** Deletes a rule; its fires stay in the log. */
  remove(id: string): boolean {
    this.forget(id);
    this.prune();
    return this.adb.removeRule(id);
  }

  /**
   * Picks up rules another writer (cloud sync) saved or deleted in the database: each is started
   * afresh with its stored state, or stopped when it is gone.
   */
  reload(ids: readonly string[]): void {
    for (const id of ids) {
      const row = this.adb.rule(id);
      if (row) this.load(row, false);
      else this.forget(id);
    }
    this.prune();
  }

  /** Starts a stored rule with its stored state (a rule that cannot start is logged, not thrown). */
  private load(row: AlertRuleRow, queue: boolean): void {
    try {
      this.install(row.rule, { firedOnce: row.firedOnce, paused: row.paused }, queue, row.evaluatedFrom === null, row.evaluatedFrom ?? row.createdAt);
    } catch (err) {
      this.o.log.error({ rule: row.rule.id, err: (err as Error).message }, "alert rule not loaded");
    }
  }

  /** Stops evaluating a rule. */
  private forget(id: string): void {
    if (!this.engine.remove(id) && !this.screens?.remove(id)) this.signals.remove(id);
    this.unwatch(id);
    this.rules.delete(id);
  }

  /** Pauses or resumes a rule (resuming also clears a flood-control pause). */
  pause(id: string, paused: boolean): AlertRuleRow {
    if (!this.rules.has(id)) throw new ApiError("not_found", `no alert rule ${id}`);
    const reason = paused ? "paused by the user" : null;
    if (!this.engine.setPaused(id, reason) && !this.screens?.setPaused(id, reason)) this.signals.setPaused(id, reason);
    this.adb.saveFiring(id, this.firing(id)!, this.now());
    return this.row(id);
  }

  /** The fire log, newest first. */
  log(filter: { rule?: string | undefined; since?: number | undefined; limit: number }): AlertLogEntry[] {
    return this.adb.log(filter);
  }

  /** Receives every new fire (desktop notifications); returns the unsubscribe function. */
  onFire(listener: (entry: AlertLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when no webhook is in flight (tests). */
  webhooksSettled(): Promise<void> {
    return this.webhooks.settled();
  }

  private row(id: string): AlertRuleRow {
    const row = this.adb.rule(id);
    if (!row) throw new ApiError("not_found", `no alert rule ${id}`);
    return row;
  }

  private firing(id: string): RuleFiringState | null {
    return this.engine.firing(id) ?? this.screens?.firing(id) ?? this.signals.firing(id);
  }

  private install(rule: AlertRule, firing?: RuleFiringState, queue = false, unstarted = true, from = -Infinity): void {
    // A rule replaced by one of the other kind leaves its old evaluator.
    if (rule.condition.type === "screen") {
      this.engine.remove(rule.id);
      this.signals.remove(rule.id);
      if (!this.screens) throw new Error("screen alerts are not available here");
      this.screens.add(rule, firing, firing === undefined);
      this.rules.set(rule.id, rule);
      return;
    }
    this.screens?.remove(rule.id);
    if (rule.condition.type === "strategy") {
      this.engine.remove(rule.id);
      this.signals.add(rule, firing, from);
    } else {
      this.signals.remove(rule.id);
      this.engine.add(rule, firing);
    }
    this.unwatch(rule.id);
    this.rules.set(rule.id, rule);
    const w = this.watch(rule.venue, rule.symbol, queue);
    w.rules.add(rule.id);
    if (unstarted) w.unstarted.add(rule.id);
  }

  private watch(venue: string, symbol: string, queue: boolean): Watch {
    const k = `${venue}\u0000${symbol}`;
    const existing = this.watches.get(k);
    if (existing) return existing;
    const watch: Watch = { off: () => undefined, queue: queue ? [] : null, lastTs: -Infinity, lastIds: new Set(), saved: -Infinity, savedAt: -Infinity, rules: new Set(), unstarted: new Set(), caughtUpTo: -Infinity };
    this.watches.set(k, watch);
    watch.off = this.o.feed.subscribe(venue, symbol, (t) => {
      if (watch.queue) watch.queue.push(t);
      else this.trade(venue, watch, t);
    });
    return watch;
  }

  /** Takes a rule off its series' watch (before it is removed or moved to another series). */
  private unwatch(id: string): void {
    const rule = this.rules.get(id);
    if (!rule) return;
    const w = this.watches.get(`${rule.venue}\u0000${rule.symbol}`);
    w?.rules.delete(id);
    w?.unstarted.delete(id);
  }

  /** Unsubscribes from symbols no rule watches any more. */
  private prune(): void {
    for (const [k, w] of this.watches) {
      if (w.rules.size > 0) continue;
      w.off();
      this.watches.delete(k);
    }
  }

  private trade(venue: string, w: Watch, t: AlertTrade): void {
    if (t.ts > w.lastTs) {
      w.lastTs = t.ts;
      w.lastIds.clear();
    }
    if (t.tradeId !== undefined) w.lastIds.add(t.tradeId);
    if (w.unstarted.size > 0) {
      this.adb.saveStart([...w.unstarted], t.ts);
      w.unstarted.clear();
    }
    this.engine.onTrade(venue, t);
    this.signals.onTrade(venue, t);
    this.schedule();
    if (this.pendingSince !== null && performance.now() - this.pendingSince > GROUP_COMMIT_MAX_WAIT_MS) this.commit();
  }

  /** Whether a queued live trade is newer than what the catch-up read from the store. */
  private fresh(w: Watch, t: AlertTrade): boolean {
    return t.ts > w.lastTs || (t.ts === w.lastTs && (t.tradeId === undefined || !w.lastIds.has(t.tradeId)));
  }

  private async catchUp(k: string, since: number): Promise<void> {
    const [venue, symbol] = k.split("\u0000") as [string, string];
    const w = this.watches.get(k);
    if (!w) return;
    try {
      const trades = this.o.history ? await this.o.history(venue, symbol, since) : [];
      this.catchingUp = true;
      for (const t of trades) this.trade(venue, w, t);
      w.caughtUpTo = w.lastTs;
    } catch (err) {
      this.o.log.error({ venue, symbol, err: (err as Error).message }, "alert catch-up from the store failed; evaluating live trades only");
    } finally {
      this.catchingUp = false;
      const queued = w.queue ?? [];
      w.queue = null;
      for (const t of queued) if (this.fresh(w, t)) this.trade(venue, w, t);
    }
  }

  private tick(): void {
    const venues = new Set<string>();
    for (const k of this.watches.keys()) venues.add(k.slice(0, k.indexOf("\u0000")));
    for (const venue of venues) {
      const venueNow = this.o.feed.venueNow(venue);
      this.engine.onClock(venue, venueNow);
      this.signals.onClock(venue, venueNow);
    }
    this.commit();
    const now = this.now();
    for (const w of this.watches.values()) {
      if (w.lastTs <= w.saved || now - w.savedAt < PROGRESS_EVERY_MS) continue;
      w.saved = w.lastTs;
      w.savedAt = now;
      this.adb.saveProgress([...w.rules], w.lastTs);
    }
  }

  /** Collects a fire of the evaluation in progress; {@link commit} records the batch. */
  private recordFire(fire: KeyedFire): void {
    const rule = this.rules.get(fire.rule);
    if (!rule) return;
    const lateMs = this.catchingUp ? Math.max(0, this.now() - fire.time) : this.lateness(rule, fire);
    this.pending.push(this.newFire(rule, fire, lateMs));
  }

  /**
   * A strategy rule's fire, recorded at once (its session steps asynchronously, after the trade was
   * handled): one of the catch-up's bars is late by its delay, a live one as {@link lateness} says.
   */
  private recordSignal(fire: KeyedFire): void {
    const rule = this.rules.get(fire.rule);
    if (!rule) return;
    const caughtUp = fire.time <= (this.watches.get(`${rule.venue}\u0000${rule.symbol}`)?.caughtUpTo ?? -Infinity);
    const lateMs = caughtUp ? Math.max(0, this.now() - fire.time) : this.lateness(rule, fire);
    this.pending.push(this.newFire(rule, fire, lateMs));
    this.schedule();
  }

  /** A screen rule's fire (an entry into its top N at a bar close), recorded at once, on time. */
  private recordScreen(fire: KeyedFire): void {
    const rule = this.rules.get(fire.rule);
    if (!rule) return;
    this.pending.push(this.newFire(rule, fire, null));
    this.schedule();
  }

  private newFire(rule: AlertRule, fire: KeyedFire, lateMs: number | null): NewFire {
    const deliveries: NewFire["deliveries"] = [];
    if (rule.deliver.desktop) deliveries.push({ channel: "desktop", done: this.listeners.size > 0 });
    if (rule.deliver.webhook) deliveries.push({ channel: "webhook", done: false });
    return { fire, lateMs, deliveries, firedOnce: rule.frequency === "once" };
  }

  /**
   * How late a live fire is, or null when on time: against the venue clock, a fire is due at its
   * trade's time (intrabar) or when its bar's end plus the close grace passed (bar close); more than
   * {@link LATE_AFTER_MS} after that — the machine slept, the feed was cut, evaluation fell behind —
   * it is late.
   */
  private lateness(rule: AlertRule, fire: KeyedFire): number | null {
    const due = rule.frequency === "once_per_bar_close" ? Math.min(fire.time, fire.barTime + TIMEFRAMES[rule.timeframe] + CLOSE_GRACE_MS) : fire.time;
    const late = this.o.feed.venueNow(rule.venue) - due;
    return late > LATE_AFTER_MS ? late : null;
  }

  /**
   * Queues a commit of the collected fires for the end of the current frame: a feed frame's trades
   * (or one turn of the event loop) are handled synchronously, so their fires share one transaction.
   */
  private schedule(): void {
    if (this.pending.length === 0) return;
    this.pendingSince ??= performance.now();
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.commit();
    });
  }

  /**
   * Records the collected fires in one transaction, then notifies the new ones — never before the
   * commit. A batch that fails to commit notifies none and stays collected: it is retried with the
   * next batch or at the next clock tick, under the same idempotency keys.
   */
  private commit(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingSince = null;
    const started = performance.now();
    let fresh: NewFire[];
    try {
      fresh = this.adb.recordFires(batch, this.now());
    } catch (err) {
      this.pending = batch.concat(this.pending);
      this.o.log.error({ fires: batch.length, err: (err as Error).message }, "alert fires not recorded (none notified); retrying");
      return;
    }
    const committed = performance.now();
    let webhook = false;
    for (const n of fresh) {
      for (const d of n.deliveries) {
        if (d.channel === "webhook") webhook = true;
        else if (d.done) this.notify({ ...n.fire, lateMs: n.lateMs, deliveries: [{ channel: "desktop", status: "delivered", attempts: 1, error: null }] });
      }
    }
    if (webhook) this.webhooks.kick();
    this.o.onBatch?.({ fires: batch.length, fresh: fresh.length, commitMs: committed - started, notifyMs: performance.now() - committed });
  }

  private notify(entry: AlertLogEntry): void {
    for (const l of this.listeners) {
      try {
        l(entry);
      } catch (err) {
        this.o.log.error({ key: entry.key, err: (err as Error).message }, "alert listener failed");
      }
    }
  }

  private onPause(p: AlertPause): void {
    this.o.log.warn({ rule: p.rule, reason: p.reason }, "alert rule paused");
    this.adb.saveFiring(p.rule, this.firing(p.rule) ?? { firedOnce: false, paused: p.reason }, this.now());
  }
}
