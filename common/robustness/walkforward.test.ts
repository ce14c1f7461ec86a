/** Walk-forward windows, the choice of a fold's params, efficiency and stability. */
import { describe, expect, it } from "vitest";
import type { Metrics } from "../strategy/results.ts";
import type { SweepRow } from "../strategy/sweep.ts";
import { bestRow, minimumWalkForwardBars, paramStability, walkForwardEfficiency, walkForwardWindows } from "./walkforward.ts";

const metrics = (totalReturn: number | null): Metrics => ({
  totalReturn, cagr: null, sharpe: null, sortino: null, maxDrawdown: null, maxDrawdownDuration: null, winRate: null, profitFactor: null, exposure: null, trades: 0, buyAndHoldReturn: null,
});
const row = (index: number, ret: number | null): SweepRow => ({ index, params: { a: index }, ok: true, finalEquity: 1, metrics: metrics(ret), outOfSample: null });

describe("walk-forward windows", () => {
  it("rolls: out-of-sample windows follow each other, in-sample windows keep their length and end where the fold starts", () => {
    const w = walkForwardWindows(1003, { folds: 4, inSampleRatio: 3, anchored: false });
    expect(w.map((f) => f.outOfSample)).toEqual([
      { from: 431, to: 574 }, { from: 574, to: 717 }, { from: 717, to: 860 }, { from: 860, to: 1003 },
    ]);
    expect(w.map((f) => f.inSample)).toEqual([{ from: 0, to: 431 }, { from: 143, to: 574 }, { from: 286, to: 717 }, { from: 429, to: 860 }]);
  });

  it("anchors the in-sample start at the first bar", () => {
    const w = walkForwardWindows(100, { folds: 2, inSampleRatio: 2, anchored: true });
    expect(w).toEqual([
      { inSample: { from: 0, to: 50 }, outOfSample: { from: 50, to: 75 } },
      { inSample: { from: 0, to: 75 }, outOfSample: { from: 75, to: 100 } },
    ]);
  });

  it("names the minimum when there are too few bars", () => {
    expect(minimumWalkForwardBars(8, 3)).toBe(22);
    expect(() => walkForwardWindows(21, { folds: 8, inSampleRatio: 3, anchored: false })).toThrow("needs at least 22 bars (got 21)");
    expect(walkForwardWindows(22, { folds: 8, inSampleRatio: 3, anchored: false })).toHaveLength(8);
    expect(() => walkForwardWindows(9, { folds: 2, inSampleRatio: 0.5, anchored: false })).toThrow("at least 10 bars");
  });
});

describe("choosing and judging", () => {
  it("picks the best row, null last, ties by grid order, failures ignored", () => {
    const rows: SweepRow[] = [{ index: 0, params: {}, ok: false, error: "x" }, row(1, null), row(2, 0.1), row(3, 0.3), row(4, 0.3)];
    expect(bestRow(rows, "totalReturn")!.index).toBe(3);
    expect(bestRow([row(1, null), row(2, null)], "totalReturn")!.index).toBe(1);
    expect(bestRow([{ index: 0, params: {}, ok: false, error: "x" }], "totalReturn")).toBeNull();
  });

  it("efficiency is null unless the in-sample return is positive", () => {
    expect(walkForwardEfficiency(0.1, 0.2)).toBeCloseTo(0.5);
    expect(walkForwardEfficiency(0.1, 0)).toBeNull();
    expect(walkForwardEfficiency(0.1, -0.2)).toBeNull();
    expect(walkForwardEfficiency(null, 0.2)).toBeNull();
  });

  it("counts param changes between consecutive folds", () => {
    const s = paramStability([{ a: 1 }, { a: 1 }, null, { a: 2 }, { a: 1 }]);
    expect(s).toMatchObject({ changes: 2, comparisons: 3 });
    expect(s.ratio).toBeCloseTo(1 / 3, 12);
  });
});
