import { describe, expect, it } from "vitest";
import { storedBarMs, timeframeWithBars, usableTimeframes } from "./stored-timeframe.ts";

const DAY = 86_400_000;

describe("stored series open on a timeframe with bars", () => {
  it("daily bars open on 1d, whatever finer timeframe the chart had", () => {
    expect(timeframeWithBars("1m", DAY)).toBe("1d");
    expect(timeframeWithBars("1d", DAY)).toBe("1d");
    expect(usableTimeframes(DAY)).toEqual(["1d", "1w", "1M"]);
  });

  it("keeps a timeframe built from finer bars, and moves to the nearest coarser one that divides", () => {
    expect(timeframeWithBars("1h", 60_000)).toBe("1h");
    expect(timeframeWithBars("1m", 300_000)).toBe("5m");
    expect(timeframeWithBars("1s", 3_600_000)).toBe("1h");
  });

  it("trades or unknown series keep the chart's timeframe", () => {
    expect(timeframeWithBars("1s", null)).toBe("1s");
    const infos = [
      { venue: "local", symbol: "ORCL", kind: "bars" as const, source: "import", tfMs: DAY, firstTs: 0, lastTs: 1 },
      { venue: "kraken", symbol: "ORCL", kind: "trades" as const, source: "recorded", tfMs: null, firstTs: 0, lastTs: 1 },
    ];
    expect(storedBarMs(infos, { symbol: "ORCL", venue: "local" })).toBe(DAY);
    expect(storedBarMs(infos, { symbol: "ORCL", venue: "kraken" })).toBeNull();
    expect(storedBarMs(infos, { symbol: "X", venue: "local" })).toBeNull();
  });
});
