/**
 * Screen alerts ("notify when a symbol enters the top 10"): each rule with a `screen` condition is a
 * column screen over its universe, refreshed by a {@link ScreenWatch} on every bar close of the
 * rule's timeframe, in core, whether or not a window is open. At each refresh the rule's top N is
 * compared with the top N it had at its last ranked bar, stored in `alert_screen_state`; each symbol
 * that entered fires once, keyed `<rule id>:<bar time>:<venue>:<symbol>` (the bar time is the open
 * time of the last closed bar), and the fires go to the alerts service, which records them in the
 * alert log and delivers them like any other. A refresh at a bar already ranked (a restart within
 * the bar) fires nothing; the first refresh of a new rule only remembers its top N, and one where no
 * member could be computed (no data yet) is not remembered. After a restart the first refresh
 * compares with the stored top, so an entry made while core was down fires once, at the current bar. Flood control is the engine's: more than {@link FLOOD_LIMIT} fires within
 * {@link FLOOD_WINDOW_MS} pause the rule.
 */
import type Database from "better-sqlite3";
import { FLOOD_LIMIT, FLOOD_WINDOW_MS, defaultMessage, type RuleFiringState, type RuleOutput } from "../../common/alerts/rule-runner.ts";
import { renderTemplate } from "../../common/alerts/template.ts";
import type { AlertRule, KeyedFire, ScreenCondition } from "../../common/alerts/types.ts";
import type { ScreenUpdate } from "../../common/api/screener.ts";
import { ApiError } from "../../common/api/index.ts";
import { TIMEFRAMES } from "../../common/market/bars.ts";
import type { ScreenRow, SortSpec, UniverseMember } from "../../common/screener/rank.ts";
import type { MarketDb } from "../store/market-db.ts";
import { columnScreenOf } from "../screener/screen.ts";
import { UnknownUniverseError } from "../screener/universes.ts";
import { ScreenWatch } from "../screener/watch.ts";

/** What screen rules read: the app database (universes, their state) and the market store. */
export interface ScreenRuleDeps {
  app: () => Database.Database;
  market: () => Promise<MarketDb>;
  /** Wait after a bar's close before refreshing (default: ScreenWatch's 2 s). */
  graceMs?: number;
  /** Refreshes that fail (the rule goes on). */
  onError?: (rule: string, err: Error) => void;
  /** The clock bar closes are timed by (default `Date.now`). */
  now?: () => number;
}

interface Running {
  rule: AlertRule;
  condition: ScreenCondition;
  watch: ScreenWatch;
  sort: SortSpec;
  firing: RuleFiringState;
  recent: number[];
}

const member = (m: UniverseMember): string => `${m.venue}:${m.symbol}`;

function screenOf(rule: AlertRule): ScreenCondition {
  if (rule.condition.type !== "screen") throw new Error(`rule ${rule.id} is not a screen rule`);
  return rule.condition;
}

/** The column screen a rule describes; a bad universe, column, filter or sort throws a bad_request naming the field. */
function screenParts(rule: AlertRule, app: () => Database.Database): ReturnType<typeof columnScreenOf> {
  const c = screenOf(rule);
  const req = { universe: c.universe, timeframe: rule.timeframe, columns: c.columns, holdout: 0, timeoutMs: 300_000, ...(c.filter ? { filter: c.filter } : {}), ...(c.sort ? { sort: c.sort } : {}) };
  try {
    return columnScreenOf(req, app);
  } catch (err) {
    const msg = (err as Error).message;
    const field = err instanceof UnknownUniverseError || /universe/i.test(msg) ? "universe" : /filter/i.test(msg) ? "filter" : /sort/i.test(msg) ? "sort" : "columns";
    throw new ApiError("bad_request", `rule.condition.${field}: ${msg}`);
  }
}

/** Checks that a screen rule's screen can run on the universes in `db`; throws a bad_request naming the field. */
export function checkScreenRule(rule: AlertRule, db: Database.Database): void {
  screenParts(rule, () => db);
}

/** `alerts add` without a core: the rule's screen must be able to run (throws naming the rule and field). */
export function checkScreenRuleOffline(db: Database.Database, rule: AlertRule): void {
  try {
    screenParts(rule, () => db);
  } catch (err) {
    throw new Error(`rule ${rule.id}: ${(err as Error).message.replace(/^rule\./, "")}`, { cause: err });
  }
}

/** The rule's top N in a ranking: rows without an error and with a sort value, first N. */
export function topMembers(rows: readonly ScreenRow[], key: string, n: number): string[] {
  const ranked = rows.filter((r) => r.error === undefined && (typeof r[key] === "string" || (typeof r[key] === "number" && Number.isFinite(r[key]))));
  return ranked.slice(0, n).map(member);
}

/** The screen rules of the alerts service (see the file comment). */
export class ScreenRules {
  private readonly deps: ScreenRuleDeps;
  private readonly output: RuleOutput;
  private readonly running = new Map<string, Running>();
  private started = false;

  constructor(deps: ScreenRuleDeps, output: RuleOutput) {
    this.deps = deps;
    this.output = output;
  }

  /** Throws a bad_request naming the field when the rule's screen cannot run here. */
  check(rule: AlertRule): void {
    checkScreenRule(rule, this.deps.app());
  }

  /** Starts (or restarts) a rule; `fresh`: a new or replaced rule, whose remembered top is dropped. */
  add(rule: AlertRule, firing: RuleFiringState | undefined, fresh: boolean): void {
    this.remove(rule.id, fresh);
    const { screen, sort, filter } = screenParts(rule, this.deps.app);
    const watch = new ScreenWatch({ screen, sort, filter, market: this.deps.market, ...(this.deps.graceMs !== undefined ? { graceMs: this.deps.graceMs } : {}), ...(this.deps.now ? { now: this.deps.now } : {}), onError: (err) => this.deps.onError?.(rule.id, err) });
    const run: Running = { rule, condition: screenOf(rule), watch, sort, firing: firing ?? { firedOnce: false, paused: null }, recent: [] };
    watch.onUpdate((update) => this.onUpdate(run, update));
    this.running.set(rule.id, run);
    if (this.started) watch.start();
  }

  /** Stops a rule; `forget` also drops its remembered top. False when it was not running. */
  remove(id: string, forget = true): boolean {
    const run = this.running.get(id);
    run?.watch.stop();
    this.running.delete(id);
    if (forget) this.deps.app().prepare("DELETE FROM alert_screen_state WHERE rule_id = ?").run(id);
    return run !== undefined;
  }

  /** Pauses or resumes a rule; false when it is not a screen rule. */
  setPaused(id: string, reason: string | null): boolean {
    const run = this.running.get(id);
    if (!run) return false;
    run.firing.paused = reason;
    if (reason === null) run.recent.length = 0;
    return true;
  }

  /** A rule's firing state, or null when it is not a screen rule. */
  firing(id: string): RuleFiringState | null {
    return this.running.get(id)?.firing ?? null;
  }

  /** Refreshes every rule now, then on each bar close. */
  start(): void {
    this.started = true;
    for (const run of this.running.values()) run.watch.start();
  }

  /** Stops every refresh. */
  stop(): void {
    this.started = false;
    for (const run of this.running.values()) run.watch.stop();
  }

  /** Refreshes each rule (or one) with the bars closed by `now` (tests, and what the timers do). */
  async tick(now: number, id?: string): Promise<void> {
    const runs = id === undefined ? [...this.running.values()] : [this.running.get(id)].filter((r) => r !== undefined);
    await Promise.all(runs.map((r) => r.watch.tick(now)));
  }

  private onUpdate(run: Running, update: ScreenUpdate): void {
    // A refresh where no member could be computed (no data yet) ranks nothing: it is not remembered.
    if (update.rows.every((r) => r.error !== undefined)) return;
    const tf = TIMEFRAMES[run.rule.timeframe];
    const barTime = Math.floor(update.at / tf) * tf - tf;
    const top = topMembers(update.rows, run.sort.key, run.condition.top);
    const db = this.deps.app();
    const stored = db.prepare("SELECT bar_time, top FROM alert_screen_state WHERE rule_id = ?").get(run.rule.id) as { bar_time: number; top: string } | undefined;
    if (stored && stored.bar_time >= barTime) return;
    if (stored) this.fireEntries(run, update, top.filter((m) => !(JSON.parse(stored.top) as string[]).includes(m)), barTime);
    db.prepare("INSERT INTO alert_screen_state (rule_id, bar_time, top, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (rule_id) DO UPDATE SET bar_time = excluded.bar_time, top = excluded.top, updated_at = excluded.updated_at")
      .run(run.rule.id, barTime, JSON.stringify(top), update.at);
  }

  private fireEntries(run: Running, update: ScreenUpdate, entered: string[], barTime: number): void {
    const { rule } = run;
    if (rule.expires !== undefined && update.at >= rule.expires) return;
    for (const name of entered) {
      if (run.firing.paused !== null) return;
      const rank = update.rows.findIndex((r) => member(r) === name) + 1;
      const row = update.rows[rank - 1]!;
      const message = renderTemplate(rule.message ?? defaultMessage(rule.condition), {
        symbol: row.symbol,
        venue: row.venue,
        close: typeof row.last === "number" ? String(row.last) : "",
        time: new Date(update.at).toISOString(),
        interval: rule.timeframe,
        value: String(rank),
        rule: rule.id,
      });
      run.firing.firedOnce = true;
      this.output.fire({ rule: rule.id, time: update.at, barTime, value: rank, message, key: `${rule.id}:${barTime}:${name}` } satisfies KeyedFire);
      this.flood(run, update.at);
    }
  }

  private flood(run: Running, time: number): void {
    run.recent.push(time);
    while (run.recent.length > 0 && run.recent[0]! <= time - FLOOD_WINDOW_MS) run.recent.shift();
    if (run.recent.length <= FLOOD_LIMIT) return;
    run.firing.paused = `flood control: ${run.recent.length} fires within 3 minutes`;
    this.output.pause({ rule: run.rule.id, time, reason: run.firing.paused });
  }
}
