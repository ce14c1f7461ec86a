/**
 * The live series the alert service follows: one feed subscription per (venue, symbol) some rule
 * watches, with the rules on it, where their evaluation started and got to, and the trades that
 * arrive while the series is caught up from the store (queued, then handled after it; a trade the
 * store also had is dropped by its time and id). Where rules started and got to is stored from the
 * clock tick, a bounded number of rows at a time, never from the trade that evaluated them.
 */
import type { AlertTrade } from "../../common/alerts/engine.ts";
import type { AlertRule } from "../../common/alerts/types.ts";
import type { AlertDb } from "./alert-db.ts";

/**
 * How often (local ms) a watched series' `evaluatedUntil` is stored. It is shown, never read back (a
 * catch-up starts at `evaluatedFrom`), so it may lag: rewriting every rule row each second was a
 * third of the app database's writes under load.
 */
export const PROGRESS_EVERY_MS = 10_000;

/**
 * At most about this many rule rows are rewritten with their progress per clock tick (one
 * transaction): the series due beyond it wait for the next ticks, so 10,000 rules are stored over
 * ten ticks (~2 ms each) rather than in one ~25 ms stall of the thread that evaluates and records
 * fires. A series' rules are stored together; one series is always stored.
 */
export const PROGRESS_ROWS_PER_TICK = 1_000;

/** The feed as watches need it: a subscription per (venue, symbol). */
export interface WatchFeed {
  /** Subscribes to trades of (venue, symbol); returns the unsubscribe function. */
  subscribe(venue: string, symbol: string, onTrade: (trade: AlertTrade) => void): () => void;
}

/** One watched (venue, symbol). */
export interface Watch {
  readonly venue: string;
  readonly symbol: string;
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

/** The key of a watched (venue, symbol). */
export function watchKey(venue: string, symbol: string): string {
  return `${venue}\u0000${symbol}`;
}

/** The watched series, by {@link watchKey}. */
export class Watches {
  private readonly byKey = new Map<string, Watch>();
  /** Rules started by a trade at venue time `ts` (a watch's unstarted set, handed over whole), until they are stored. */
  private readonly starts: { ids: Set<string>; ts: number }[] = [];
  private readonly feed: WatchFeed;
  private readonly onTrade: (w: Watch, t: AlertTrade) => void;

  /** `onTrade` receives each live trade of a watch that is not waiting for its catch-up. */
  constructor(feed: WatchFeed, onTrade: (w: Watch, t: AlertTrade) => void) {
    this.feed = feed;
    this.onTrade = onTrade;
  }

  /** The watch of (venue, symbol), if any. */
  get(venue: string, symbol: string): Watch | undefined {
    return this.byKey.get(watchKey(venue, symbol));
  }

  /** Every watch. */
  all(): IterableIterator<Watch> {
    return this.byKey.values();
  }

  /** The venues some rule watches. */
  venues(): Set<string> {
    const venues = new Set<string>();
    for (const w of this.byKey.values()) venues.add(w.venue);
    return venues;
  }

  /** The watch of (venue, symbol), subscribed now if new; `queue`: its live trades wait for a catch-up. */
  watch(venue: string, symbol: string, queue: boolean): Watch {
    const k = watchKey(venue, symbol);
    const existing = this.byKey.get(k);
    if (existing) return existing;
    const watch: Watch = { venue, symbol, off: () => undefined, queue: queue ? [] : null, lastTs: -Infinity, lastIds: new Set(), saved: -Infinity, savedAt: -Infinity, rules: new Set(), unstarted: new Set(), caughtUpTo: -Infinity };
    this.byKey.set(k, watch);
    watch.off = this.feed.subscribe(venue, symbol, (t) => {
      if (watch.queue) watch.queue.push(t);
      else this.onTrade(watch, t);
    });
    return watch;
  }

  /** Takes a rule off its series' watch (before it is removed, replaced or moved to another series). */
  unwatch(rule: AlertRule): void {
    const w = this.get(rule.venue, rule.symbol);
    w?.rules.delete(rule.id);
    w?.unstarted.delete(rule.id);
    for (const group of this.starts) group.ids.delete(rule.id);
  }

  /**
   * The unstarted rules of `w` are evaluated from a trade at venue time `ts` on: noted, to be stored
   * by {@link saveStarts} (a frame that starts 10,000 rules would otherwise rewrite 10,000 rule rows
   * before its fires are recorded). Until it is stored, a restart catches the rule up from its
   * creation, which only re-finds fires already recorded under their keys.
   */
  started(w: Watch, ts: number): void {
    this.starts.push({ ids: w.unstarted, ts });
    w.unstarted = new Set();
  }

  /**
   * Stores where noted rules started, in one transaction of at most about `limit` rules (the rules
   * a trade started are stored together; the first group always is; the rest wait for the next
   * calls); true when some rule was stored.
   */
  saveStarts(adb: AlertDb, limit = Infinity): boolean {
    if (this.starts.length === 0) return false;
    const due: [string, number][] = [];
    let groups = 0;
    for (const { ids, ts } of this.starts) {
      if (due.length > 0 && due.length + ids.size > limit) break;
      for (const id of ids) due.push([id, ts]);
      groups++;
    }
    this.starts.splice(0, groups);
    if (due.length === 0) return false;
    adb.saveStarts(due);
    return true;
  }

  /** Unsubscribes from symbols no rule watches any more. */
  prune(): void {
    for (const [k, w] of this.byKey) {
      if (w.rules.size > 0) continue;
      w.off();
      this.byKey.delete(k);
    }
  }

  /** Unsubscribes from everything. */
  clear(): void {
    for (const w of this.byKey.values()) w.off();
    this.byKey.clear();
  }

  /**
   * Stores how far each series that moved was evaluated, at most every {@link PROGRESS_EVERY_MS} of
   * local time, in one transaction of at most about {@link PROGRESS_ROWS_PER_TICK} rules (the
   * series left over are stored at the next ticks, which staggers the series' saves).
   */
  saveProgress(adb: AlertDb, now: number): void {
    const due: { ids: string[]; evaluatedUntil: number }[] = [];
    let rows = 0;
    for (const w of this.byKey.values()) {
      if (w.lastTs <= w.saved || now - w.savedAt < PROGRESS_EVERY_MS) continue;
      if (rows > 0 && rows + w.rules.size > PROGRESS_ROWS_PER_TICK) break;
      due.push({ ids: [...w.rules], evaluatedUntil: w.lastTs });
      rows += w.rules.size;
      w.saved = w.lastTs;
      w.savedAt = now;
    }
    if (due.length > 0) adb.saveProgress(due);
  }
}

/** Notes a trade handled on `w` (its time and id, against a later duplicate). */
export function noteTrade(w: Watch, t: AlertTrade): void {
  if (t.ts > w.lastTs) {
    w.lastTs = t.ts;
    // Clearing a Set allocates a fresh table even when it is empty: once per trade, that showed.
    if (w.lastIds.size > 0) w.lastIds.clear();
  }
  if (t.tradeId !== undefined) w.lastIds.add(t.tradeId);
}

/** Whether a queued live trade is newer than what the catch-up read from the store. */
export function freshTrade(w: Watch, t: AlertTrade): boolean {
  return t.ts > w.lastTs || (t.ts === w.lastTs && (t.tradeId === undefined || !w.lastIds.has(t.tradeId)));
}
