import { describe, expect, it } from "vitest";
import type { Metrics } from "../../../common/strategy/results.ts";
import type { SweepRow } from "../../../common/strategy/sweep.ts";
import { heatShare, sweepHeatmap } from "./heatmap.ts";

const row = (index: number, fast: number, slow: number, totalReturn: number | null): SweepRow =>
  totalReturn === null ? { index, params: { fast, slow, fraction: 0.95 }, ok: false, error: "x" } : { index, params: { fast, slow, fraction: 0.95 }, ok: true, finalEquity: 1, metrics: { totalReturn } as Metrics, outOfSample: null };

describe("sweep heatmap", () => {
  it("lays two varying params out as a grid, failed cells empty", () => {
    const map = sweepHeatmap([row(0, 10, 30, 0.1), row(1, 5, 30, -0.2), row(2, 10, 20, null), row(3, 5, 20, 0.3)], "totalReturn")!;
    expect(map).toMatchObject({ x: "fast", y: "slow", xs: [5, 10], ys: [20, 30], min: -0.2, max: 0.3 });
    expect(map.cells).toEqual([[0.3, null], [-0.2, 0.1]]);
    expect(heatShare(map, 0.3)).toBe(1);
    expect(heatShare(map, -0.2)).toBe(0);
  });

  it("has none for one varying param", () => {
    expect(sweepHeatmap([row(0, 5, 30, 0.1), row(1, 10, 30, 0.2)], "totalReturn")).toBeNull();
  });
});
