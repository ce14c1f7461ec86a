import { describe, expect, it } from "vitest";
import type { AlertTrade } from "../../common/alerts/engine.ts";
import { parseRule } from "../../common/alerts/rule.ts";
import type { AlertDb } from "./alert-db.ts";
import { freshTrade, noteTrade, PROGRESS_EVERY_MS, PROGRESS_ROWS_PER_TICK, Watches, type Watch } from "./watches.ts";
import { TestFeed } from "./testing.ts";

const trade = (ts: number, tradeId?: string): AlertTrade => ({ symbol: "BTC/USD", price: "101", size: "1", ts, ...(tradeId === undefined ? {} : { tradeId }) });
const rule = (id: string, symbol = "BTC/USD") =>
  parseRule({ id, venue: "kraken", symbol, timeframe: "1m", frequency: "once_per_bar", condition: { type: "price", op: "above", value: "100" }, deliver: { desktop: true } });

describe("watches", () => {
  it("one subscription per (venue, symbol) while a rule is on it; queued trades wait for the catch-up", () => {
    const feed = new TestFeed();
    const got: number[] = [];
    const watches = new Watches(feed, (_w, t) => void got.push(t.ts));
    const w = watches.watch("kraken", "BTC/USD", true);
    expect(watches.watch("kraken", "BTC/USD", false)).toBe(w);
    w.rules.add("a");
    expect(feed.subs.get("kraken|BTC/USD")?.size).toBe(1);
    feed.push(1, "101");
    expect(got).toEqual([]);
    expect(w.queue?.map((t) => t.ts)).toEqual([1]);
    w.queue = null;
    feed.push(2, "101");
    expect(got).toEqual([2]);
    expect([...watches.venues()]).toEqual(["kraken"]);
    watches.unwatch(rule("a"));
    watches.prune();
    expect(feed.subs.get("kraken|BTC/USD")?.size).toBe(0);
    expect(watches.get("kraken", "BTC/USD")).toBeUndefined();
  });

  it("a queued live trade the store also had (same time and id) is not fresh; a later or unknown one is", () => {
    const watches = new Watches(new TestFeed(), () => undefined);
    const w: Watch = watches.watch("kraken", "BTC/USD", true);
    noteTrade(w, trade(10, "x"));
    noteTrade(w, trade(10, "y"));
    expect(freshTrade(w, trade(10, "x"))).toBe(false);
    expect(freshTrade(w, trade(9, "z"))).toBe(false);
    expect(freshTrade(w, trade(10, "z"))).toBe(true);
    expect(freshTrade(w, trade(10))).toBe(true);
    noteTrade(w, trade(11, "z"));
    expect(freshTrade(w, trade(10, "q"))).toBe(false);
    expect(freshTrade(w, trade(11, "y"))).toBe(true);
  });

  it("stores the progress of the series that moved, at most about PROGRESS_ROWS_PER_TICK rules a tick, the rest at the next ticks", () => {
    const watches = new Watches(new TestFeed(), () => undefined);
    const perSeries = PROGRESS_ROWS_PER_TICK / 4;
    for (let s = 0; s < 6; s++) {
      const w = watches.watch("kraken", `S${s}/USD`, false);
      for (let i = 0; i < perSeries; i++) w.rules.add(`S${s}-${i}`);
      if (s !== 5) noteTrade(w, { ...trade(100 + s), symbol: `S${s}/USD` });
    }
    const saved: { ids: readonly string[]; evaluatedUntil: number }[][] = [];
    const adb = { saveProgress: (series: { ids: readonly string[]; evaluatedUntil: number }[]) => void saved.push(series) } as unknown as AlertDb;
    const now = PROGRESS_EVERY_MS;
    watches.saveProgress(adb, now);
    watches.saveProgress(adb, now + 1000);
    watches.saveProgress(adb, now + 2000);
    expect(saved.map((tick) => tick.map((s) => [s.ids.length, s.evaluatedUntil]))).toEqual([
      [[perSeries, 100], [perSeries, 101], [perSeries, 102], [perSeries, 103]],
      [[perSeries, 104]],
    ]);
  });

  it("rules started by a trade are stored later, about `limit` a call (a trade's rules together), and a rule taken off before that is not stored", () => {
    const watches = new Watches(new TestFeed(), () => undefined);
    const w = watches.watch("kraken", "BTC/USD", false);
    for (const id of ["a", "b", "c"]) {
      w.rules.add(id);
      w.unstarted.add(id);
    }
    watches.started(w, 100);
    expect(w.unstarted.size).toBe(0);
    w.unstarted.add("d");
    watches.started(w, 200);
    w.unstarted.add("e");
    watches.started(w, 300);
    watches.unwatch(rule("b"));
    const saved: (readonly [string, number])[][] = [];
    const adb = { saveStarts: (starts: readonly (readonly [string, number])[]) => void saved.push([...starts]) } as unknown as AlertDb;
    expect(watches.saveStarts(adb, 1)).toBe(true);
    expect(watches.saveStarts(adb, 2)).toBe(true);
    expect(watches.saveStarts(adb, 2)).toBe(false);
    expect(saved).toEqual([[["a", 100], ["c", 100]], [["d", 200], ["e", 300]]]);
  });
});
