import { describe, expect, it } from "vitest";
import { thinEquityCurve } from "./equity-curve.ts";

describe("thinEquityCurve", () => {
  it("keeps every point of a short curve", () => {
    expect(thinEquityCurve([1, 2, 3], [10, 11, 9])).toEqual({ time: [1, 2, 3], equity: [10, 11, 9] });
  });

  it("thins a long curve to about the cap, keeping the ends, the peak and the trough in time order", () => {
    const n = 100_000;
    const time = Array.from({ length: n }, (_, i) => i * 60_000);
    const equity = time.map((_, i) => 100_000 + Math.sin(i / 500) * 1000 + (i === 31_337 ? 5000 : 0) - (i === 77_777 ? 9000 : 0));
    const c = thinEquityCurve(time, equity, 1000);
    expect(c.time.length).toBeLessThanOrEqual(1002);
    expect(c.time[0]).toBe(0);
    expect(c.time.at(-1)).toBe(time.at(-1));
    expect(Math.max(...c.equity)).toBe(Math.max(...equity));
    expect(Math.min(...c.equity)).toBe(Math.min(...equity));
    expect(c.time.every((t, i) => i === 0 || t > c.time[i - 1]!)).toBe(true);
  });
});
