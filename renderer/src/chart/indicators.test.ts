import { describe, expect, it } from "vitest";
import { computeIndicator, indicatorLabel, parsePeriod, parseWidth } from "./indicators.ts";

const closes = [10, 11, 12, 13, 12, 11, 12, 14, 15, 16, 15, 14, 16, 18, 17, 19, 20, 21];

function naiveSma(xs: number[], n: number): number[] {
  return xs.map((_, i) => (i + 1 < n ? Number.NaN : xs.slice(i + 1 - n, i + 1).reduce((a, b) => a + b, 0) / n));
}

describe("chart indicators", () => {
  it("computes SMA equal to a plain moving average, NaN while warming up", () => {
    const plot = computeIndicator({ id: 1, kind: "sma", period: 3 }, closes);
    expect(plot.overlay).toBe(true);
    const want = naiveSma(closes, 3);
    plot.lines[0]!.values.forEach((v, i) => (Number.isNaN(want[i]!) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(want[i]!, 12)));
  });

  it("draws Bollinger bands symmetric around the SMA", () => {
    const plot = computeIndicator({ id: 2, kind: "bbands", period: 5, param2: 2 }, closes);
    const [upper, middle, lower] = plot.lines.map((l) => l.values);
    const sma = naiveSma(closes, 5);
    for (let i = 4; i < closes.length; i++) {
      expect(middle![i]).toBeCloseTo(sma[i]!, 12);
      expect(upper![i]! - middle![i]!).toBeCloseTo(middle![i]! - lower![i]!, 12);
    }
  });

  it("puts RSI and MACD in their own panes with values in range", () => {
    const rsi = computeIndicator({ id: 3, kind: "rsi", period: 5 }, closes);
    expect(rsi.overlay).toBe(false);
    const last = rsi.lines[0]!.values[closes.length - 1]!;
    expect(last).toBeGreaterThan(50);
    expect(last).toBeLessThanOrEqual(100);
    const macd = computeIndicator({ id: 4, kind: "macd", period: 3, param2: 6, param3: 3 }, closes);
    expect(macd.lines.map((l) => l.name)).toEqual(["histogram", "macd", "signal"]);
    const n = closes.length - 1;
    expect(macd.lines[0]!.values[n]).toBeCloseTo(macd.lines[1]!.values[n]! - macd.lines[2]!.values[n]!, 12);
  });

  it("labels indicators with their parameters", () => {
    expect(indicatorLabel({ id: 1, kind: "macd", period: 12, param2: 26, param3: 9 })).toBe("MACD 12 26 9");
    expect(indicatorLabel({ id: 1, kind: "bbands", period: 20, param2: 2 })).toBe("BB 20 2");
  });
});

describe("indicator parameter fields", () => {
  it("applies a period only once it is a whole number from 1 to 1000", () => {
    expect(parsePeriod("50")).toBe(50);
    expect(parsePeriod("")).toBeNull();
    expect(parsePeriod("0")).toBeNull();
    expect(parsePeriod("2.5")).toBeNull();
    expect(parsePeriod("1001")).toBeNull();
  });

  it("applies a band width above 0 and at most 10", () => {
    expect(parseWidth("2.5")).toBe(2.5);
    expect(parseWidth("")).toBeNull();
    expect(parseWidth("0")).toBeNull();
    expect(parseWidth("-1")).toBeNull();
    expect(parseWidth("11")).toBeNull();
  });
});
