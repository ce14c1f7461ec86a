import { describe, expect, it } from "vitest";
import { figureDuration, figurePrice, figureRatio, figureReturn, figureShare, figureTime, seriesDecimals } from "./figures.ts";

const DAY = 86_400_000;

describe("result figures", () => {
  it("signs returns only, and shows drawdowns and rates as their size", () => {
    expect(figureReturn(0.5144)).toBe("+51.44 %");
    expect(figureReturn(-0.05)).toBe("-5.00 %");
    expect(figureReturn(0.00001)).toBe("0.00 %");
    expect(figureShare(-0.5144)).toBe("51.44 %");
    expect(figureShare(0.5144)).toBe("51.44 %");
    expect(figureReturn(null)).toBe("—");
  });

  it("abbreviates huge percentages so they fit a metric card", () => {
    expect(figureReturn(918_372_934.88)).toBe("+9.18e10 %");
    expect(figureReturn(-20_000)).toBe("-2.00e6 %");
    expect(figureReturn(9_999.99)).toBe("+999,999.00 %");
    expect(figureShare(15_000)).toBe("1.50e6 %");
  });

  it("writes ratios with two decimals", () => {
    expect(figureRatio(1.23456)).toBe("1.23");
    expect(figureRatio(2)).toBe("2.00");
    expect(figureRatio(Infinity)).toBe("∞");
    expect(figureRatio(Number.NaN)).toBe("—");
  });

  it("writes durations in days and hours, never raw ms or 0h", () => {
    expect(figureDuration(5392 * DAY)).toBe("5,392 days");
    expect(figureDuration(3 * DAY + 4 * 3_600_000)).toBe("3 days 4 hours");
    expect(figureDuration(1 * DAY)).toBe("1 day");
    expect(figureDuration(5 * 3_600_000 + 12 * 60_000)).toBe("5 hours 12 min");
    expect(figureDuration(42_000)).toBe("42 s");
  });

  it("writes daily bars' times without a clock", () => {
    const t = Date.UTC(2024, 2, 1);
    expect(figureTime(t, "1d")).toBe("2024-03-01");
    expect(figureTime(t + 3_600_000, "1h")).toBe("2024-03-01 01:00");
  });

  it("writes a series' prices with one number of decimals", () => {
    const d = seriesDecimals([2.179012, 43000, 1.5]);
    expect(d).toBe(6);
    expect(figurePrice(43000, d)).toBe("43,000.000000");
    expect(seriesDecimals([100, 101.5])).toBe(2);
    expect(figurePrice(101.5, 2)).toBe("101.50");
  });
});

describe("metrics by name", () => {
  it("formats each metric by its kind", async () => {
    const { figureOfMetric } = await import("./figures.ts");
    expect(figureOfMetric("maxDrawdown", -0.5144)).toBe("51.44 %");
    expect(figureOfMetric("totalReturn", 0.1)).toBe("+10.00 %");
    expect(figureOfMetric("maxDrawdownDuration", 2 * DAY)).toBe("2 days");
    expect(figureOfMetric("sharpe", 1.234)).toBe("1.23");
    expect(figureOfMetric("trades", 12)).toBe("12");
  });
});
