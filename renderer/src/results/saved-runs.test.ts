import { describe, expect, it } from "vitest";
import type { Metrics, SavedRun } from "../../../common/strategy/results.ts";
import { savedRunLabel, savedRunResult } from "./saved-runs.ts";

const metrics = { totalReturn: 0.1, trades: 1 } as Metrics;

function saved(over: Partial<SavedRun> = {}): SavedRun {
  return {
    id: 7,
    kind: "backtest",
    strategyName: "SMA crossover",
    status: "done",
    startedAt: 1,
    finishedAt: 2,
    summary: null,
    symbol: "BTC/USD",
    timeframe: "1h",
    totalReturn: 0.1,
    params: { fast: 10 },
    config: { cash: 50_000, commission: 0.001, slippageBps: 2, limits: {} },
    source: "simulated:BTC/USD",
    bars: { first: 0, last: 3_600_000 },
    error: null,
    note: null,
    result: { finalEquity: 55_000, cash: 55_000, metrics, trades: [], orders: [], equityCurve: { time: [0, 3_600_000], equity: [50_000, 55_000] } },
    rows: null,
    ...over,
  };
}

describe("saved runs as results", () => {
  it("reopens a saved backtest with its venue, costs and equity curve", () => {
    expect(savedRunResult(saved())).toMatchObject({
      id: "run-7",
      label: "SMA crossover · BTC/USD 1h · #7",
      venue: "simulated",
      symbol: "BTC/USD",
      timeframe: "1h",
      params: { fast: 10 },
      metrics,
      equityTime: [0, 3_600_000],
      equity: [50_000, 55_000],
      settings: { cash: 50_000, commission: 0.001, slippageBps: 2, from: 0, to: 3_600_001 },
    });
  });

  it("opens runs without a curve or venue, and nothing for sweeps and failures", () => {
    const old = savedRunResult(saved({ source: "/data/x.csv", symbol: "X", result: { ...saved().result!, equityCurve: null }, note: "over the cap" }));
    expect(old).toMatchObject({ venue: "local", equity: [], logs: ["over the cap"] });
    expect(savedRunResult(saved({ kind: "sweep", result: null, rows: [] }))).toBeNull();
    expect(savedRunResult(saved({ status: "failed", error: "boom", result: null }))).toBeNull();
    expect(savedRunLabel({ id: 3, strategyName: "s", symbol: null, timeframe: null })).toBe("s · ? · #3");
  });
});
