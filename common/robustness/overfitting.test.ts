/** A sweep row's return sums equal the direct computation, and the sweep statistics use the best in-sample Sharpe. */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../random.ts";
import { rowStats, sweepOverfitting } from "./overfitting.ts";
import { blockSums } from "./pbo.ts";
import { deflatedSharpe, returnMoments, returnSums } from "./stats.ts";

function equityOf(cash: number, returns: number[]): Float64Array {
  const eq = new Float64Array(returns.length);
  let v = cash;
  returns.forEach((r, i) => (eq[i] = v *= 1 + r));
  return eq;
}

describe("sweep overfitting statistics", () => {
  it("row stats are the sums and block sums of the metrics' per-bar returns", () => {
    const rand = seededRandom(3);
    const returns = Array.from({ length: 333 }, () => (rand() - 0.49) * 0.02);
    const equity = equityOf(1000, returns);
    const s = rowStats(1000, equity, 300, 6);
    const head = returns.slice(0, 300);
    const ref = returnSums(head);
    for (const k of ["n", "s1", "s2", "s3", "s4"] as const) expect(s.sums[k]).toBeCloseTo(ref[k], 12);
    blockSums(head, 6).forEach((b, i) => b.forEach((x, j) => expect(s.blocks[i]![j]).toBeCloseTo(x, 12)));
  });

  it("deflates the combination with the highest in-sample Sharpe over every trial", () => {
    const rand = seededRandom(9);
    const series = Array.from({ length: 5 }, (_, k) => Array.from({ length: 400 }, () => (rand() - 0.5) * 0.02 + k * 0.0003));
    const stats = new Map(series.map((r, k) => [k, rowStats(1, equityOf(1, r))]));
    const o = sweepOverfitting(7, stats);
    const moments = series.map((r) => returnMoments(r));
    const best = moments.reduce((b, m, k) => (m.sharpe > moments[b]!.sharpe ? k : b), 0);
    expect(o.trials).toBe(7);
    expect(o.deflated!.index).toBe(best);
    expect(o.deflated!.dsr!).toBeCloseTo(deflatedSharpe(moments[best]!, 7, moments.map((m) => m.sharpe)).dsr!, 8);
    expect(o.pbo!.splits).toBe(12870);
  });
});
