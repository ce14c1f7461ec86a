import { describe, expect, it } from "vitest";
import type { LiveBar } from "../../common/api/store.ts";
import { BarBuilder } from "../../common/market/bar-builder.ts";
import { ManualClock } from "./clock.ts";
import { BarCoalescer, TradeCoalescer, type TradeUpdate } from "./ui-stream.ts";

describe("live bars built in core", () => {
  it("sends each closed bar once in its final state, then the forming bar, once per frame", () => {
    const clock = new ManualClock(0);
    const sent: LiveBar[][] = [];
    const ui = new BarCoalescer({ clock, frameMs: 50, period: 1000, deliver: (u) => sent.push(u.bars) });
    const trades: [number, number, number][] = [[100, 10, 1], [900, 12, 1], [1100, 11, 2], [2500, 9, 1], [2600, 13, 1]];
    for (const [ts, price, size] of trades) ui.push(ts, price, size);
    expect(sent).toEqual([]);
    clock.advance(50);
    const reference = new BarBuilder(1000);
    const expected: LiveBar[] = [];
    for (const [ts, price, size] of trades) {
      const bar = reference.add(ts, price, size)!;
      if (expected.at(-1)?.time === bar.time) expected[expected.length - 1] = { ...bar };
      else expected.push({ ...bar });
    }
    expect(sent).toEqual([expected]);
    clock.advance(500);
    expect(sent).toHaveLength(1);
    ui.push(2700, 14, 1);
    clock.advance(50);
    expect(sent[1]).toEqual([{ time: 2000, open: 9, high: 14, low: 9, close: 14, volume: 3 }]);
    ui.close();
  });

  it("keeps the forming bar current for a congested window and drops only old closed bars, counted", () => {
    const clock = new ManualClock(0);
    let ready = false;
    const sent: { bars: LiveBar[]; dropped: number }[] = [];
    const ui = new BarCoalescer({ clock, frameMs: 50, period: 1000, maxClosed: 3, ready: () => ready, deliver: (u) => sent.push(u) });
    for (let s = 0; s < 10; s++) ui.push(s * 1000, 100 + s, 1);
    clock.advance(200);
    expect(sent).toEqual([]);
    ready = true;
    clock.advance(50);
    expect(sent[0]!.bars.map((b) => b.time)).toEqual([6000, 7000, 8000, 9000]);
    expect([sent[0]!.dropped, ui.dropped]).toEqual([6, 6]);
    ui.close();
  });
});

describe("trade batches", () => {
  it("carries only the newest trades when asked, counting the rest as skipped, not dropped", () => {
    const clock = new ManualClock(0);
    const sent: TradeUpdate<number>[] = [];
    const ui = new TradeCoalescer<number>({ clock, frameMs: 16, newest: 3, deliver: (u) => sent.push(u) });
    for (let i = 0; i < 10; i++) ui.push(i);
    clock.advance(16);
    expect(sent).toEqual([{ items: [7, 8, 9], dropped: 0, skipped: 7 }]);
    expect(ui.dropped).toBe(0);
    ui.close();
  });
});
