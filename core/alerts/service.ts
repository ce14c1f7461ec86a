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
 * The group commit and fan-out of fires is core/alerts/fire-batch.ts; the feed subscriptions and
 * their catch-up bookkeeping are core/alerts/watches.ts.
 */
import type Database from "better-sqlite3";
import { AlertEngine, type AlertTrade } from "../../common/alerts/engine.ts";
import type { RuleFiringState } from "../../common/alerts/rule-runner.ts";
import type { AlertPause, AlertRule, KeyedFire } from "../../common/alerts/types.ts";
import type { AlertLogEntry, AlertRuleRow } from "../../common/api/alerts.ts";
import { ApiError } from "../../common/api/index.ts";
import { TIMEFRAMES } from "../../common/market/bars.ts";
import { AlertDb } from "./alert-db.ts";
import { FireBatch, type FireBatchStats } from "./fire-batch.ts";
import { checkRule } from "./rule-check.ts";
import { ScreenRules, type ScreenRuleDeps } from "./screen-rule.ts";
import { StrategySignals, type SignalHostFactory } from "./strategy-signals.ts";
import { freshTrade, noteTrade, PROGRESS_ROWS_PER_TICK, Watches, watchKey, type Watch } from "./watches.ts";
import { WebhookDispatcher, type WebhookOptions } from "./webhook.ts";

export { GROUP_COMMIT_MAX_WAIT_MS, type FireBatchStats } from "./fire-batch.ts";
export { PROGRESS_EVERY_MS } from "./watches.ts";

/** A live fire more than this after it was due (venue clock) is marked late. */
export const LATE_AFTER_MS = 5000;
/** A catch-up reads at most this much recorded history (venue ms before now). */
export const CATCH_UP_MAX_MS = 3 * 86_400_000;
/** The bar clock's close grace (its default): a bar-close fire is due this long after the bar's end. */
const CLOSE_GRACE_MS = 2000;

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

/** The saved strategies strategy alerts run. */
export interface AlertStrategies {
  exists(name: string): boolean;
  hosts: SignalHostFactory;
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
  private readonly watches: Watches;
  private readonly fires: FireBatch;
  private readonly webhooks: WebhookDispatcher;
  private catchingUp = false;
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
    this.fires = new FireBatch({ adb: this.adb, now: this.now, kickWebhooks: () => this.webhooks.kick(), log: options.log, onBatch: options.onBatch });
    this.watches = new Watches(options.feed, (w, t) => this.trade(w, t));
  }

  private readonly now = (): number => (this.o.now ?? Date.now)();

  /** Loads the stored rules, catches each watched symbol up from the store, then follows the live feed. */
  async start(): Promise<void> {
    this.adb.prepareFires();
    const rows = this.adb.rules();
    for (const row of rows) this.load(row, true);
    const from = new Map<string, number>();
    for (const row of rows) {
      const k = watchKey(row.rule.venue, row.rule.symbol);
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
    this.fires.commit();
    this.watches.saveStarts(this.adb);
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
    this.webhooks.stop();
    this.screens?.stop();
    void this.signals.close();
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
    this.watches.prune();
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
    this.watches.prune();
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
    this.watches.prune();
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
    const rule = this.rules.get(id);
    if (rule) this.watches.unwatch(rule);
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
    return this.fires.onFire(listener);
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
    const old = this.rules.get(rule.id);
    if (old) this.watches.unwatch(old);
    this.rules.set(rule.id, rule);
    const w = this.watches.watch(rule.venue, rule.symbol, queue);
    w.rules.add(rule.id);
    if (unstarted) w.unstarted.add(rule.id);
  }

  private trade(w: Watch, t: AlertTrade): void {
    noteTrade(w, t);
    if (w.unstarted.size > 0) this.watches.started(w, t.ts);
    this.engine.onTrade(w.venue, t);
    this.signals.onTrade(w.venue, t);
    this.fires.schedule();
    this.fires.commitIfOverdue();
  }

  private async catchUp(k: string, since: number): Promise<void> {
    const [venue, symbol] = k.split("\u0000") as [string, string];
    const w = this.watches.get(venue, symbol);
    if (!w) return;
    try {
      const trades = this.o.history ? await this.o.history(venue, symbol, since) : [];
      this.catchingUp = true;
      for (const t of trades) this.trade(w, t);
      w.caughtUpTo = w.lastTs;
    } catch (err) {
      this.o.log.error({ venue, symbol, err: (err as Error).message }, "alert catch-up from the store failed; evaluating live trades only");
    } finally {
      this.catchingUp = false;
      const queued = w.queue ?? [];
      w.queue = null;
      for (const t of queued) if (freshTrade(w, t)) this.trade(w, t);
    }
  }

  private tick(): void {
    for (const venue of this.watches.venues()) {
      const venueNow = this.o.feed.venueNow(venue);
      this.engine.onClock(venue, venueNow);
      this.signals.onClock(venue, venueNow);
    }
    this.fires.commit();
    // Where rules started first (a catch-up reads it); the progress, only shown, when none is due.
    if (!this.watches.saveStarts(this.adb, PROGRESS_ROWS_PER_TICK)) this.watches.saveProgress(this.adb, this.now());
  }

  /** Collects a fire of the evaluation in progress; the fire batch records it at the end of the frame. */
  private recordFire(fire: KeyedFire): void {
    const rule = this.rules.get(fire.rule);
    if (!rule) return;
    const lateMs = this.catchingUp ? Math.max(0, this.now() - fire.time) : this.lateness(rule, fire);
    this.fires.add(rule, fire, lateMs);
  }

  /**
   * A strategy rule's fire, recorded at once (its session steps asynchronously, after the trade was
   * handled): one of the catch-up's bars is late by its delay, a live one as {@link lateness} says.
   */
  private recordSignal(fire: KeyedFire): void {
    const rule = this.rules.get(fire.rule);
    if (!rule) return;
    const caughtUp = fire.time <= (this.watches.get(rule.venue, rule.symbol)?.caughtUpTo ?? -Infinity);
    const lateMs = caughtUp ? Math.max(0, this.now() - fire.time) : this.lateness(rule, fire);
    this.fires.add(rule, fire, lateMs);
    this.fires.schedule();
  }

  /** A screen rule's fire (an entry into its top N at a bar close), recorded at once, on time. */
  private recordScreen(fire: KeyedFire): void {
    const rule = this.rules.get(fire.rule);
    if (!rule) return;
    this.fires.add(rule, fire, null);
    this.fires.schedule();
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

  private onPause(p: AlertPause): void {
    this.o.log.warn({ rule: p.rule, reason: p.reason }, "alert rule paused");
    this.adb.saveFiring(p.rule, this.firing(p.rule) ?? { firedOnce: false, paused: p.reason }, this.now());
  }
}
