import { describe, expect, it } from "vitest";
import { Batch, FrameStagger, Latest, paced, TICK_BUDGET_MS, TickGroup } from "./frame.ts";
import { manualFrames } from "./frame-testing.ts";
import { moved } from "./list.ts";

describe("frame coalescing", () => {
  it("Latest renders only the newest value, once per frame, and counts the skipped ones", () => {
    const f = manualFrames();
    const rendered: number[] = [];
    const latest = new Latest<number>((v) => rendered.push(v), f.schedule);
    for (let i = 1; i <= 10_000; i++) latest.push(i);
    expect(f.pending()).toBe(1);
    f.flush();
    expect(rendered).toEqual([10_000]);
    expect(latest.skipped).toBe(9_999);
    latest.push(5);
    f.flush();
    expect(rendered).toEqual([10_000, 5]);
  });

  it("Latest drops a cleared value, and renders nothing once disposed (a panel switched symbol)", () => {
    const f = manualFrames();
    const rendered: string[] = [];
    const latest = new Latest<string>((v) => rendered.push(v), f.schedule);
    latest.push("BTC level");
    latest.clear();
    f.flush();
    expect(rendered).toEqual([]);
    latest.push("BTC again");
    latest.dispose();
    latest.push("late BTC");
    f.flush();
    expect(rendered).toEqual([]);
    expect(f.pending()).toBe(0);
  });

  it("Batch renders nothing once disposed, even items pushed before", () => {
    const f = manualFrames();
    const rendered: number[][] = [];
    const batch = new Batch<number>((items) => rendered.push(items), 10, f.schedule);
    batch.push(1, 2);
    batch.dispose();
    batch.push(3);
    f.flush();
    expect(rendered).toEqual([]);
  });

  it("Batch delivers every item of a frame in order, capped to the newest", () => {
    const f = manualFrames();
    const frames: number[][] = [];
    const batch = new Batch<number>((items) => frames.push(items), 3, f.schedule);
    batch.push(1, 2);
    batch.push(3);
    expect(f.pending()).toBe(1);
    f.flush();
    batch.push(4, 5, 6, 7, 8);
    f.flush();
    expect(frames).toEqual([[1, 2, 3], [6, 7, 8]]);
    expect(batch.dropped).toBe(2);
  });

  it("moves list items for reordering, clamping the target", () => {
    expect(moved(["a", "b", "c"], 0, 2)).toEqual(["b", "c", "a"]);
    expect(moved(["a", "b", "c"], 2, -5)).toEqual(["c", "a", "b"]);
    expect(moved(["a", "b"], 7, 0)).toEqual(["a", "b"]);
  });

  it("paced runs at most once per interval, on a frame, and at once after a quiet spell", () => {
    const f = manualFrames();
    let now = 0;
    const timers: Array<{ at: number; cb: () => void }> = [];
    const schedule = paced(100, f.schedule, () => now, (cb, ms) => void timers.push({ at: now + ms, cb }));
    const rendered: number[] = [];
    const latest = new Latest<number>((v) => rendered.push(v), schedule);
    latest.push(1);
    f.flush();
    expect(rendered).toEqual([1]);
    now = 16;
    latest.push(2);
    latest.push(3);
    expect(f.pending()).toBe(0);
    expect(timers.map((t) => t.at)).toEqual([100]);
    now = 100;
    timers.shift()!.cb();
    expect(rendered).toEqual([1]);
    f.flush();
    expect(rendered).toEqual([1, 3]);
    now = 450;
    latest.push(4);
    expect(timers).toEqual([]);
    f.flush();
    expect(rendered).toEqual([1, 3, 4]);
  });

  it("paced reads an interval given as a function anew each time", () => {
    const f = manualFrames();
    let now = 0, interval = 50;
    const timers: number[] = [];
    const schedule = paced(() => interval, f.schedule, () => now, (_cb, ms) => void timers.push(ms));
    schedule(() => undefined);
    f.flush();
    now = 10;
    schedule(() => undefined);
    interval = 100;
    now = 20;
    schedule(() => undefined);
    expect(timers).toEqual([40, 80]);
  });

  it("TickGroup runs the other callbacks of a tick when one throws, and keeps ticking", async () => {
    const timers: Array<() => void> = [];
    const ticks = new TickGroup(50, () => 0, (cb) => void timers.push(cb));
    const thrown: unknown[] = [];
    const onError = (err: unknown): void => void thrown.push(err);
    process.on("uncaughtException", onError);
    const ran: string[] = [];
    const chart = new Latest<string>(() => {
      throw new Error("series update failed");
    }, ticks.scheduler);
    const book = new Latest<string>((v) => ran.push(v), ticks.scheduler);
    chart.push("c");
    book.push("a");
    timers.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    process.off("uncaughtException", onError);
    expect(ran).toEqual(["a"]);
    expect(thrown).toEqual([new Error("series update failed")]);
    book.push("b");
    timers.shift()!();
    expect(ran).toEqual(["a", "b"]);
  });

  it("TickGroup leaves the callbacks after an over-budget one to a task of their own, ahead of later ones", () => {
    let now = 0;
    const timers: Array<{ at: number; cb: () => void }> = [];
    const ticks = new TickGroup(50, () => now, (cb, ms) => void timers.push({ at: now + ms, cb }));
    const ran: string[] = [];
    ticks.scheduler(() => ran.push("a"));
    ticks.scheduler(() => {
      ran.push("slow");
      now += TICK_BUDGET_MS;
    });
    ticks.scheduler(() => ran.push("b"));
    ticks.scheduler(() => ran.push("c"));
    timers.shift()!.cb();
    expect(ran).toEqual(["a", "slow"]);
    expect(timers.map((t) => t.at)).toEqual([now]);
    ticks.scheduler(() => ran.push("later"));
    expect(timers).toHaveLength(1);
    timers.shift()!.cb();
    expect(ran).toEqual(["a", "slow", "b", "c", "later"]);
    expect(timers).toEqual([]);
  });

  it("TickGroup runs every callback due in one timer task, at most once per interval", () => {
    let now = 0;
    const timers: Array<{ at: number; cb: () => void }> = [];
    const ticks = new TickGroup(50, () => now, (cb, ms) => void timers.push({ at: now + ms, cb }));
    const ran: string[] = [];
    const book = new Latest<string>((v) => ran.push(`book ${v}`), ticks.scheduler);
    const tape = new Batch<string>((items) => ran.push(`tape ${items.join(",")}`), 100, ticks.scheduler);
    const chart = new Latest<string>((v) => ran.push(`chart ${v}`), ticks.scheduler);
    book.push("a");
    tape.push("t1", "t2");
    chart.push("c1");
    expect(timers.map((t) => t.at)).toEqual([0]);
    timers.shift()!.cb();
    expect(ran).toEqual(["book a", "tape t1,t2", "chart c1"]);
    now = 10;
    chart.push("c2");
    tape.push("t3");
    chart.push("c3");
    expect(timers.map((t) => t.at)).toEqual([50]);
    now = 50;
    timers.shift()!.cb();
    expect(ran.slice(3)).toEqual(["chart c3", "tape t3"]);
    now = 500;
    book.push("b");
    expect(timers.map((t) => t.at)).toEqual([500]);
  });

  it("FrameStagger runs the first callback at once and each further one in a frame of its own, in order", () => {
    const f = manualFrames();
    const stagger = new FrameStagger(f.schedule);
    const ran: string[] = [];
    const charts = [1, 2, 3, 4].map((n) => new Batch<string>((bars) => ran.push(`chart${n} ${bars.join(",")}`), 100, stagger.scheduler));
    charts.forEach((c, i) => c.push(`b${i + 1}`));
    expect(ran).toEqual(["chart1 b1"]);
    charts[0]!.push("b5");
    for (const expected of [["chart2 b2"], ["chart3 b3"], ["chart4 b4"], ["chart1 b5"]]) {
      ran.length = 0;
      f.flush();
      expect(ran).toEqual(expected);
    }
    f.flush();
    expect(f.pending()).toBe(0);
    charts[1]!.push("b6");
    expect(ran).toEqual(["chart1 b5", "chart2 b6"]);
  });

  it("FrameStagger with two per frame runs two callbacks at once and two in each later frame", () => {
    const f = manualFrames();
    const stagger = new FrameStagger(f.schedule, 2);
    const ran: string[] = [];
    const charts = [1, 2, 3, 4, 5].map((n) => new Batch<string>((bars) => ran.push(`chart${n} ${bars.join(",")}`), 100, stagger.scheduler));
    charts.forEach((c, i) => c.push(`b${i + 1}`));
    expect(ran).toEqual(["chart1 b1", "chart2 b2"]);
    for (const expected of [["chart3 b3", "chart4 b4"], ["chart5 b5"]]) {
      ran.length = 0;
      f.flush();
      expect(ran).toEqual(expected);
    }
    charts[0]!.push("b6");
    expect(ran).toEqual(["chart5 b5", "chart1 b6"]);
    f.flush();
    f.flush();
    expect(f.pending()).toBe(0);
    charts[1]!.push("b7");
    charts[2]!.push("b8");
    expect(ran).toEqual(["chart5 b5", "chart1 b6", "chart2 b7", "chart3 b8"]);
  });

  it("FrameStagger keeps staggering when a callback throws", async () => {
    const f = manualFrames();
    const stagger = new FrameStagger(f.schedule);
    const thrown: unknown[] = [];
    const onError = (err: unknown): void => void thrown.push(err);
    process.on("uncaughtException", onError);
    const ran: string[] = [];
    stagger.scheduler(() => {
      throw new Error("series update failed");
    });
    stagger.scheduler(() => ran.push("second chart"));
    f.flush();
    await new Promise((r) => setTimeout(r, 0));
    process.off("uncaughtException", onError);
    expect(thrown).toEqual([new Error("series update failed")]);
    expect(ran).toEqual(["second chart"]);
  });
});
