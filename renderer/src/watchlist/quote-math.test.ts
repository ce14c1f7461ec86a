import { describe, expect, it } from "vitest";
import { quoteFromBars, refreshed, withLast } from "./quote-math.ts";

const HOUR = 3_600_000;
const times = Array.from({ length: 26 }, (_, i) => i * HOUR);
const closes = times.map((_, i) => 100 + i);

describe("watchlist quotes", () => {
  it("sums the volume of the last 24 hourly bars, none without volumes", () => {
    const volumes = times.map((_, i) => i);
    expect(quoteFromBars(times, closes, volumes)!.volume24h).toBe(Array.from({ length: 24 }, (_, i) => 25 - i).reduce((a, b) => a + b, 0));
    expect(quoteFromBars(times, closes)!.volume24h).toBeNull();
  });

  it("computes the 24 h change and the sparkline from hourly bars", () => {
    const q = quoteFromBars(times, closes)!;
    expect(q.last).toBe(125);
    expect(q.base).toBe(101);
    expect(q.change24h).toBeCloseTo(24 / 101);
    expect(q.live).toBe(false);
    expect(q.lastText).toBeNull();
  });

  it("shows a live price as the feed wrote it, and no text for a computed mid", () => {
    const q = withLast(quoteFromBars(times, closes), 0.52345, "0.52345");
    expect(q.lastText).toBe("0.52345");
    expect(q.spark.at(-1)).toBe(0.52345);
    expect(withLast(q, 0.5235, null).lastText).toBeNull();
  });

  it("keeps a live price when the store's bars are read again", () => {
    const live = withLast(quoteFromBars(times, closes), 130, "130.00");
    const again = refreshed(quoteFromBars(times, closes), live)!;
    expect(again.last).toBe(130);
    expect(again.lastText).toBe("130.00");
    expect(again.change24h).toBeCloseTo(29 / 101);
    expect(refreshed(quoteFromBars(times, closes), quoteFromBars(times, closes.map((c) => c - 1)))!.last).toBe(125);
    expect(refreshed(null, live)).toBe(live);
  });
});
