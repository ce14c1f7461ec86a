import { describe, expect, it } from "vitest";
import { ExactSum } from "./exact.ts";
import { createTA, crossover, crossunder } from "./ta.ts";

const ta = createTA();
const feed = (ind: { update(x: number): number }, xs: number[]) => xs.map((x) => ind.update(x));

describe("exact rolling sums", () => {
  it("equal means compare equal (constant 0.1 over windows 3 and 5)", () => {
    const a = ta.sma(3);
    const b = ta.sma(5);
    const xs = [0.7, 1.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1];
    feed(a, xs);
    feed(b, xs);
    expect(a.value).toBe(0.1);
    expect(b.value).toBe(0.1);
  });

  it("does not drift over a long run", () => {
    const s = ta.sma(10);
    for (let i = 0; i < 200_000; i++) s.update(((i * 7919) % 1000) / 10 + 0.1);
    for (let i = 0; i < 10; i++) s.update(0.3);
    expect(s.value).toBe(0.3);
  });

  it("an exact sum of 1e20, 1, -1e20 is 1", () => {
    const e = new ExactSum();
    for (const x of [1e20, 1, -1e20]) e.add(x);
    expect(e.value()).toBe(1);
    expect(e.mean(1)).toBe(1);
  });

  it("a crossover never fires on rounding noise between equal averages", () => {
    const fast = ta.sma(2);
    const slow = ta.sma(4);
    let fired = 0;
    for (const x of [0.3, 0.1, 0.2, 0.6, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]) {
      fast.update(x);
      slow.update(x);
      if (fast.value === slow.value && (crossover(fast, slow) || crossunder(fast, slow))) fired++;
    }
    expect(fast.value).toBe(slow.value);
    expect(fired).toBe(0);
  });
});

describe("indicator values (against independent hand computations)", () => {
  const xs = [44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0, 46.03, 46.41, 46.22, 45.64];

  it("sma is NaN until warm, then the window mean", () => {
    const out = feed(ta.sma(3), [1, 2, 3, 4, 10]);
    expect(out.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(out.slice(2)).toEqual([2, 3, 17 / 3]);
  });

  it("ema is seeded with the simple average, then alpha = 2 / (n + 1)", () => {
    const out = feed(ta.ema(3), [1, 2, 3, 4, 10]);
    expect(out[2]).toBe(2);
    expect(out[3]).toBe(2 + 0.5 * (4 - 2));
    expect(out[4]).toBe(3 + 0.5 * (10 - 3));
  });

  it("rsi uses Wilder's smoothing seeded with the average of the first n changes", () => {
    const n = 14;
    const ch = xs.slice(1).map((x, i) => x - xs[i]!);
    let g = ch.slice(0, n).reduce((a, d) => a + Math.max(d, 0), 0) / n;
    let l = ch.slice(0, n).reduce((a, d) => a + Math.max(-d, 0), 0) / n;
    const expected = [100 - 100 / (1 + g / l)];
    for (const d of ch.slice(n)) {
      g = (g * (n - 1) + Math.max(d, 0)) / n;
      l = (l * (n - 1) + Math.max(-d, 0)) / n;
      expected.push(100 - 100 / (1 + g / l));
    }
    const out = feed(ta.rsi(n), xs);
    expect(out.slice(0, n).every(Number.isNaN)).toBe(true);
    out.slice(n).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 10));
    // The classic worked example's first RSI(14): avg gain 0.2386 / avg loss 0.0996 → 70.46
    // (70.53 in the usual spreadsheet, which rounds the averages to two decimals first).
    expect(out[n]).toBeCloseTo(70.46, 2);
  });

  it("rsi is 100 with no losses and 50 on a flat series", () => {
    expect(feed(ta.rsi(3), [1, 2, 3, 4]).at(-1)).toBe(100);
    expect(feed(ta.rsi(3), [5, 5, 5, 5]).at(-1)).toBe(50);
  });

  it("atr: first true range is high - low, Wilder-smoothed after the seed", () => {
    const atr = ta.atr(2);
    const bars = [
      { high: 10, low: 8, close: 9 },
      { high: 12, low: 9, close: 11 },
      { high: 11, low: 10, close: 10.5 },
    ];
    const out = bars.map((b) => atr.update(b));
    // TRs: 2, max(3, |12-9|, |9-9|) = 3, max(1, |11-11|, |10-11|) = 1
    expect(Number.isNaN(out[0]!)).toBe(true);
    expect(out[1]).toBe(2.5);
    expect(out[2]).toBe((2.5 * 1 + 1) / 2);
  });

  it("stdev and bbands use the population standard deviation", () => {
    expect(feed(ta.stdev(4), [2, 4, 4, 4, 5, 5, 7, 9]).at(-1)).toBeCloseTo(Math.sqrt(((5 - 6.5) ** 2 + (5 - 6.5) ** 2 + (7 - 6.5) ** 2 + (9 - 6.5) ** 2) / 4), 12);
    const bb = ta.bbands(4, 2);
    feed(bb, [2, 4, 4, 4]);
    expect(bb.middle).toBe(3.5);
    expect(bb.upper).toBeCloseTo(3.5 + 2 * Math.sqrt(0.75), 12);
    expect(bb.lower).toBeCloseTo(3.5 - 2 * Math.sqrt(0.75), 12);
    expect(feed(ta.stdev(3), [0.1, 0.1, 0.1]).at(-1)).toBe(0);
  });

  it("macd = ema(fast) - ema(slow), signal = ema of macd", () => {
    const m = ta.macd(2, 3, 2);
    const e2 = ta.ema(2);
    const e3 = ta.ema(3);
    const sig = ta.ema(2);
    for (const x of xs) {
      m.update(x);
      const line = e2.update(x) - e3.update(x);
      if (!Number.isNaN(line)) sig.update(line);
    }
    expect(m.macd).toBe(e2.value - e3.value);
    expect(m.signal).toBe(sig.value);
    expect(m.histogram).toBe(m.macd - m.signal);
  });

  it("highest and lowest over the window", () => {
    const data = [5, 3, 8, 1, 2, 9, 4, 4, 0];
    const hi = feed(ta.highest(3), data);
    const lo = feed(ta.lowest(3), data);
    const naive = (f: (...v: number[]) => number) => data.map((_, i) => (i < 2 ? Number.NaN : f(...data.slice(i - 2, i + 1))));
    expect(hi).toEqual(naive(Math.max));
    expect(lo).toEqual(naive(Math.min));
  });

  it("skips non-finite inputs and rejects bad periods", () => {
    const s = ta.sma(2);
    feed(s, [1, Number.NaN, 3]);
    expect(s.value).toBe(2);
    expect(() => ta.sma(0)).toThrow(/period/);
  });

  it("crossover/crossunder compare previous and current values", () => {
    expect(crossover({ prev: 1, value: 3 }, { prev: 2, value: 2 })).toBe(true);
    expect(crossover({ prev: 2, value: 3 }, 2)).toBe(true);
    expect(crossover({ prev: 3, value: 4 }, 2)).toBe(false);
    expect(crossover({ prev: Number.NaN, value: 4 }, 2)).toBe(false);
    expect(crossunder({ prev: 3, value: 1 }, 2)).toBe(true);
  });
});
