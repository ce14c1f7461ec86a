import { describe, expect, it } from "vitest";
import { continueBar } from "./bar-builder.ts";

describe("continuing a stored bar with live bars", () => {
  const seed = { time: 60_000, open: 5, high: 6, low: 4, close: 5, volume: 10 };
  it("merges the seed's bucket, passes later buckets, drops earlier ones", () => {
    expect(continueBar(seed, { time: 60_000, open: 7, high: 8, low: 4.5, close: 7.5, volume: 2 })).toEqual({ time: 60_000, open: 5, high: 8, low: 4, close: 7.5, volume: 12 });
    const later = { time: 120_000, open: 7, high: 7, low: 7, close: 7, volume: 1 };
    expect(continueBar(seed, later)).toBe(later);
    expect(continueBar(seed, { ...later, time: 0 })).toBeNull();
    expect(continueBar(null, later)).toBe(later);
  });
});
