import { describe, expect, it } from "vitest";
import { HistoryWindow, type WindowChange } from "./history-window.ts";
import type { OhlcvColumns } from "./types.ts";

const MIN = 60_000;

/** Bars at minutes `from` .. `to - 1`, close = minute index (so values identify bars). */
function bars(from: number, to: number): OhlcvColumns {
  const time: number[] = [], v: number[] = [];
  for (let i = from; i < to; i++) {
    time.push(i * MIN);
    v.push(i);
  }
  return { time, open: v, high: v, low: v, close: v, volume: v };
}

const live = (minute: number, close = minute) => ({ time: minute * MIN, open: close, high: close, low: close, close, volume: 1 });

const make = () => new HistoryWindow({ size: 100, cap: 120, edge: 20 });

/** The minutes the window shows. */
function shown(w: HistoryWindow): number[] {
  return Array.from(w.column("close").subarray(w.start, w.end));
}

describe("HistoryWindow", () => {
  it("rejects sizes that cannot work", () => {
    expect(() => new HistoryWindow({ size: 100, cap: 50, edge: 10 })).toThrow(/bad window sizes/);
    expect(() => new HistoryWindow({ size: 100, cap: 100, edge: 50 })).toThrow(/bad window sizes/);
  });

  it("shows the newest `size` bars of a new series and drops unordered ones", () => {
    const w = make();
    w.replace(bars(1000, 1250));
    expect([w.length, w.start, w.end, w.atLiveEdge]).toEqual([250, 150, 250, true]);
    expect(shown(w)[0]).toBe(1150);
    const small = make();
    small.replace({ time: [2 * MIN, 1 * MIN, 2 * MIN, 3 * MIN], open: [2, 1, 2, 3], high: [2, 1, 2, 3], low: [2, 1, 2, 3], close: [2, 1, 2, 3], volume: [2, 1, 2, 3] });
    expect(Array.from(small.column("time"))).toEqual([2 * MIN, 3 * MIN]);
    expect([small.start, small.end]).toEqual([0, 2]);
  });

  it("prepends a page while the window is at the oldest bars: content and view stay, indices move", () => {
    const w = make();
    w.replace(bars(1000, 1050));
    expect([w.start, w.end]).toEqual([0, 50]);
    expect(w.prepend(bars(900, 1010))).toBe(100);
    expect([w.length, w.start, w.end, w.oldestTime]).toEqual([150, 100, 150, 900 * MIN]);
    expect(shown(w)).toEqual(bars(1000, 1050).close);
    expect(Array.from(w.column("time"))).toEqual(bars(900, 1050).time);
    expect(w.prepend(bars(950, 1000))).toBe(0);
  });

  it("prepends many pages without losing or reordering bars (buffer growth)", () => {
    const w = make();
    w.replace(bars(100_000, 100_010));
    for (let p = 99; p >= 0; p--) w.prepend(bars(p * 1000, (p + 1) * 1000));
    expect(w.length).toBe(100_010);
    const closes = w.column("close");
    expect(closes.every((c, i) => c === i)).toBe(true);
    expect(w.bar(12_345)).toEqual({ time: 12_345 * MIN, open: 12_345, high: 12_345, low: 12_345, close: 12_345, volume: 12_345 });
    expect([w.start, w.end]).toEqual([100_000, 100_010]);
  });

  it("shifts left when the view nears the window's oldest bar, keeping the same bars on screen", () => {
    const w = make();
    w.replace(bars(0, 1000));
    const before = { from: 10, to: 40 };
    const globalFrom = w.start + before.from;
    const change = w.follow(before)!;
    expect(change.start).toBe(Math.round(900 + 25 - 50));
    expect(change.end - change.start).toBe(100);
    expect(change.offset).toBe(900 - change.start);
    expect(change.start + before.from + change.offset).toBe(globalFrom);
    expect(w.follow({ from: before.from + change.offset, to: before.to + change.offset })).toBeNull();
  });

  it("shifts right when the view nears the window's newest bar and newer bars are loaded", () => {
    const w = make();
    w.replace(bars(0, 1000));
    w.follow({ from: 10, to: 40 });
    const start = w.start;
    const change = w.follow({ from: 70, to: 95 })!;
    expect(change.start).toBeGreaterThan(start);
    expect(change.offset).toBe(start - change.start);
    expect(change.start + 70 + change.offset).toBe(start + 70);
  });

  it("does not shift in the middle, at the ends of the history, or by a step below edge/2", () => {
    const w = make();
    w.replace(bars(0, 1000));
    expect(w.follow({ from: 40, to: 60 })).toBeNull();
    expect(w.follow({ from: 80, to: 105 })).toBeNull();
    w.follow({ from: 10, to: 40 });
    expect(w.follow({ from: 15, to: 95 })).toBeNull();
    const all = make();
    all.replace(bars(0, 60));
    expect(all.follow({ from: -5, to: 10 })).toBeNull();
  });

  it("clamps a shift at the oldest loaded bar", () => {
    const w = make();
    w.replace(bars(0, 150));
    const change = w.follow({ from: -45, to: -15 })!;
    expect([change.start, change.end, change.offset]).toEqual([0, 100, 50]);
    expect(w.follow({ from: 5, to: 35 })).toBeNull();
  });

  it("sends a live bar to the series only while the window includes the newest bar", () => {
    const w = make();
    w.replace(bars(0, 1000));
    expect(w.live(live(999, 5))).toEqual({ kind: "update", isNew: false });
    expect(w.live(live(1000))).toEqual({ kind: "update", isNew: true });
    expect([w.length, w.end]).toEqual([1001, 1001]);
    expect(w.live(live(500))).toEqual({ kind: "ignored" });
    w.follow({ from: 5, to: 30 });
    expect(w.atLiveEdge).toBe(false);
    const end = w.end;
    expect(w.live(live(1001))).toEqual({ kind: "hidden", isNew: true });
    expect(w.live(live(1001, 7))).toEqual({ kind: "hidden", isNew: false });
    expect([w.length, w.end]).toEqual([1002, end]);
    expect(w.bar(1001).close).toBe(7);
    let back: WindowChange | null = null;
    for (let i = 0; i < 20 && !w.atLiveEdge; i++) {
      const n = w.end - w.start;
      back = w.follow({ from: n - 30, to: n - 5 });
    }
    expect(back).not.toBeNull();
    expect(w.atLiveEdge).toBe(true);
    expect(w.column("close")[w.end - 1]).toBe(7);
  });

  it("never holds more than the cap: live bars at the live edge reset the window to `size`", () => {
    const w = make();
    w.replace(bars(0, 100));
    let reset: WindowChange | null = null;
    for (let m = 100; m < 200; m++) {
      const r = w.live(live(m));
      expect(w.end - w.start).toBeLessThanOrEqual(120);
      if (r.kind === "reset") reset ??= r.change;
    }
    expect(reset).toEqual({ start: 21, end: 121, offset: -21 });
    expect(w.atLiveEdge).toBe(true);
    expect(w.length).toBe(200);
  });

  it("past the cap, keeps the bars on screen: no cut during a drag, a view of older bars keeps its window", () => {
    const w = make();
    w.replace(bars(0, 120));
    expect([w.start, w.end]).toEqual([20, 120]);
    for (let m = 120; m < 140; m++) w.live(live(m), { from: 90, to: 100 });
    expect([w.start, w.end]).toEqual([20, 140]);
    expect(w.live(live(140), null)).toEqual({ kind: "update", isNew: true });
    expect([w.start, w.end]).toEqual([20, 141]);
    const r = w.live(live(141), { from: 0, to: 10 });
    expect(r.kind).toBe("reset");
    expect([w.start, w.end]).toEqual([0, 100]);
    expect(shown(w)[25]).toBe(25);
    expect(w.atLiveEdge).toBe(false);
    expect(w.live(live(142), { from: 20, to: 30 })).toEqual({ kind: "hidden", isNew: true });
    const newest = make();
    newest.replace(bars(0, 120));
    for (let m = 120; m < 141; m++) newest.live(live(m), { from: 110, to: 120 });
    expect([newest.start, newest.end]).toEqual([41, 141]);
    expect(newest.atLiveEdge).toBe(true);
  });

  it("starts from nothing: live bars build a window, a page into an empty history replaces it", () => {
    const w = make();
    w.replace(bars(0, 0));
    expect(w.oldestTime).toBeNull();
    expect(w.live(live(5))).toEqual({ kind: "update", isNew: true });
    expect([w.start, w.end, w.length]).toEqual([0, 1, 1]);
    const e = make();
    expect(e.prepend(bars(0, 300))).toBe(300);
    expect([e.start, e.end]).toEqual([200, 300]);
  });

  it("reveals a bar: moves the window to it unless it is already shown with a margin", () => {
    const w = make();
    w.replace(bars(0, 1000));
    expect(w.reveal(950, 10)).toBeNull();
    const change = w.reveal(w.indexOf(300 * MIN), 10)!;
    expect([change.start, change.end]).toEqual([250, 350]);
    expect(w.reveal(0, 10)).toEqual({ start: 0, end: 100, offset: 250 });
    expect(w.indexOf(-1)).toBe(0);
    expect(w.indexOf(5000 * MIN)).toBe(1000);
  });

  it("fromStart shows every bar up to the cap, else the oldest `cap` bars", () => {
    const w = make();
    w.replace(bars(0, 110));
    expect(w.start).toBe(10);
    expect(w.fromStart()).toEqual({ start: 0, end: 110, offset: 10 });
    expect(shown(w)).toHaveLength(110);
    expect(w.fromStart()).toBeNull();
    w.replace(bars(0, 500));
    expect(w.fromStart()).toEqual({ start: 0, end: 120, offset: 400 });
    expect(shown(w)[0]).toBe(0);
  });
});
