/**
 * PBO by CSCV against a direct implementation written here from the paper (returns matrix, block
 * concatenation, Sharpe over the concatenated returns, rank of the in-sample winner), near 0.5 on
 * pure noise, and near 0 when one strategy really is better.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../random.ts";
import { blockSums, probabilityOfOverfitting } from "./pbo.ts";

function gaussians(n: number, rand: () => number, drift = 0): number[] {
  return Array.from({ length: n }, () => drift + Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()) * 0.01);
}

function combinations(items: number[], k: number): number[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...combinations(rest, k - 1).map((c) => [first!, ...c]), ...combinations(rest, k)];
}

/** The paper's CSCV over a T×N matrix given as N return series. */
function referencePbo(series: number[][], s: number): number {
  const t = series[0]!.length;
  const blockOf = (i: number) => Math.floor((i * s) / t);
  const sharpe = (r: number[]) => {
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
    return mean / sd;
  };
  const splits = combinations([...Array(s).keys()], s / 2);
  let overfit = 0;
  for (const train of splits) {
    const inTrain = (i: number) => train.includes(blockOf(i));
    const is = series.map((r) => sharpe(r.filter((_, i) => inTrain(i))));
    const oos = series.map((r) => sharpe(r.filter((_, i) => !inTrain(i))));
    const best = is.indexOf(Math.max(...is));
    const rank = oos.filter((x) => x < oos[best]!).length + 1;
    const omega = rank / (series.length + 1);
    if (Math.log(omega / (1 - omega)) <= 0) overfit++;
  }
  return overfit / splits.length;
}

describe("probability of backtest overfitting", () => {
  it("equals the direct CSCV computation", () => {
    const rand = seededRandom(11);
    const series = Array.from({ length: 9 }, (_, k) => gaussians(400, rand, k === 4 ? 0.0006 : 0));
    const mine = probabilityOfOverfitting(series.map((r) => blockSums(r, 8)));
    expect(mine.splits).toBe(70);
    expect(mine.sampled).toBe(false);
    expect(mine.pbo).toBeCloseTo(referencePbo(series, 8), 12);
  });

  it("is near 0.5 for pure-noise strategies", () => {
    const rand = seededRandom(5);
    const results: number[] = [];
    for (let trial = 0; trial < 4; trial++) {
      const series = Array.from({ length: 40 }, () => gaussians(1600, rand));
      results.push(probabilityOfOverfitting(series.map((r) => blockSums(r))).pbo!);
    }
    const mean = results.reduce((a, b) => a + b, 0) / results.length;
    expect(mean).toBeGreaterThan(0.35);
    expect(mean).toBeLessThan(0.65);
  });

  it("is near 0 when one strategy has a real edge, and null with one trial", () => {
    const rand = seededRandom(8);
    const series = Array.from({ length: 20 }, (_, k) => gaussians(1600, rand, k === 0 ? 0.003 : 0));
    expect(probabilityOfOverfitting(series.map((r) => blockSums(r))).pbo!).toBeLessThan(0.05);
    expect(probabilityOfOverfitting([blockSums(series[0]!)]).pbo).toBeNull();
  });

  it("samples the splits, seeded, when trials × splits is over budget", () => {
    const rand = seededRandom(2);
    const trials = Array.from({ length: 30 }, () => blockSums(gaussians(800, rand)));
    const a = probabilityOfOverfitting(trials, { budget: 3000, seed: 4 });
    expect(a.sampled).toBe(true);
    expect(a.splits).toBe(100);
    expect(probabilityOfOverfitting(trials, { budget: 3000, seed: 4 })).toEqual(a);
  });
});
