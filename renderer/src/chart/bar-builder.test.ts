import { describe, expect, it } from "vitest";
import { BarBuilder } from "../../../common/market/bar-builder.ts";
import { aggregateBars, latestPerBar } from "./bar-builder.ts";

describe("live bars from trades", () => {
  it("buckets trades by open time, extends the bar, opens the next, ignores older trades", () => {
    const b = new BarBuilder(60_000);
    b.add(120_500, 10, 1);
    b.add(150_000, 12, 2);
    expect(b.add(179_999, 9, 0.5)).toEqual({ time: 120_000, open: 10, high: 12, low: 9, close: 9, volume: 3.5 });
    expect(b.add(180_000, 11, 1)).toEqual({ time: 180_000, open: 11, high: 11, low: 11, close: 11, volume: 1 });
    expect(b.add(100_000, 50, 1)).toBeNull();
    expect(b.add(Number.NaN, 50, 1)).toBeNull();
  });

  it("continues the last stored bar when seeded", () => {
    const b = new BarBuilder(60_000);
    b.seed({ time: 60_000, open: 5, high: 6, low: 4, close: 5, volume: 10 });
    expect(b.add(61_000, 7, 1)).toEqual({ time: 60_000, open: 5, high: 7, low: 4, close: 7, volume: 11 });
  });

  it("aggregates 1-minute bars into 5-minute bars", () => {
    const m = (i: number, o: number, h: number, l: number, c: number) => ({ time: i * 60_000, open: o, high: h, low: l, close: c, volume: 1 });
    const out = aggregateBars([m(0, 1, 2, 0.5, 1.5), m(1, 1.5, 3, 1, 2), m(4, 2, 2.5, 1.8, 2.2), m(5, 2.2, 2.4, 2, 2.3)], 300_000);
    expect(out).toEqual({ time: [0, 300_000], open: [1, 2.2], high: [3, 2.4], low: [0.5, 2], close: [2.2, 2.3], volume: [3, 1] });
  });

  it("keeps the last update of each bar of a frame, in time order", () => {
    const bar = (time: number, close: number) => ({ time, open: 1, high: 1, low: 1, close, volume: 1 });
    expect(latestPerBar([bar(1, 1), bar(1, 2), bar(2, 3), bar(1, 9), bar(2, 4)]).map((b) => [b.time, b.close])).toEqual([[1, 2], [2, 4]]);
  });
});
