import { describe, expect, it } from "vitest";
import { alignCloses, parseCompare } from "./compare.ts";

describe("alignCloses", () => {
  it("keeps only the chart's bar times, blank where the other symbol has no bar", () => {
    const points = alignCloses([60, 120, 180, 240], [0, 60_000, 90_000, 180_000, 300_000], [1, 2, 2.5, 3, 5]);
    expect(points).toEqual([{ time: 60, value: 2 }, { time: 120 }, { time: 180, value: 3 }, { time: 240 }]);
  });

  it("is all blank when the other symbol has no bars", () => {
    expect(alignCloses([60, 120], [], [])).toEqual([{ time: 60 }, { time: 120 }]);
  });
});

describe("parseCompare", () => {
  it("reads a symbol on the chart's venue or venue:symbol", () => {
    expect(parseCompare(" eth/usd ", "simulated")).toEqual({ venue: "simulated", symbol: "ETH/USD" });
    expect(parseCompare("Kraken:btc/usd", "simulated")).toEqual({ venue: "kraken", symbol: "BTC/USD" });
    expect(parseCompare("local:aapl-daily", "simulated")).toEqual({ venue: "local", symbol: "aapl-daily" });
    expect(parseCompare("  ", "simulated")).toBeNull();
  });
});
