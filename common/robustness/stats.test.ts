/**
 * PSR/DSR against a reference computed here independently from the papers' formulas: the normal
 * distribution by Simpson integration of its density, its inverse by bisection, moments by two
 * passes over the returns. Plus the DSR paper's own numerical example.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../random.ts";
import { deflatedSharpe, expectedMaxSharpe, normalCdf, normalInv, probabilisticSharpe, returnMoments } from "./stats.ts";

/** Φ(x) by composite Simpson integration of the standard normal density from 0 to x. */
function refCdf(x: number): number {
  const steps = 20_000;
  const h = x / steps;
  const pdf = (t: number) => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
  let s = pdf(0) + pdf(x);
  for (let i = 1; i < steps; i++) s += (i % 2 === 1 ? 4 : 2) * pdf(i * h);
  return 0.5 + (s * h) / 3;
}

/** Φ⁻¹(p) by bisection on {@link refCdf}. */
function refInv(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (refCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Per-period Sharpe (sample sd), skew and raw kurtosis by two passes. */
function refMoments(r: number[]): { n: number; sharpe: number; skew: number; kurtosis: number } {
  const n = r.length;
  const mean = r.reduce((a, b) => a + b, 0) / n;
  const d = r.map((x) => x - mean);
  const m2 = d.reduce((a, x) => a + x * x, 0) / n;
  const m3 = d.reduce((a, x) => a + x ** 3, 0) / n;
  const m4 = d.reduce((a, x) => a + x ** 4, 0) / n;
  const sd = Math.sqrt(d.reduce((a, x) => a + x * x, 0) / (n - 1));
  return { n, sharpe: mean / sd, skew: m3 / m2 ** 1.5, kurtosis: m4 / m2 ** 2 };
}

function refPsr(m: { n: number; sharpe: number; skew: number; kurtosis: number }, sr0: number): number {
  const z = ((m.sharpe - sr0) * Math.sqrt(m.n - 1)) / Math.sqrt(1 - m.skew * m.sharpe + ((m.kurtosis - 1) / 4) * m.sharpe ** 2);
  return refCdf(z);
}

function refExpectedMax(trials: number, variance: number): number {
  const g = 0.5772156649015329;
  return Math.sqrt(variance) * ((1 - g) * refInv(1 - 1 / trials) + g * refInv(1 - 1 / (trials * Math.E)));
}

/** Skewed, fat-tailed returns: a normal mixture with occasional crashes. */
function sampleReturns(n: number, seed: number, drift: number): number[] {
  const rand = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return Array.from({ length: n }, () => drift + 0.01 * gauss() + (rand() < 0.02 ? -0.04 : 0));
}

describe("normal distribution", () => {
  it("matches the integrated density and its bisected inverse", () => {
    for (const x of [-3.2, -1.5, -0.3, 0, 0.4, 1.2834, 2.5, 3.7]) expect(normalCdf(x)).toBeCloseTo(refCdf(x), 6);
    for (const p of [0.001, 0.01, 0.2, 0.5, 0.77, 0.99, 0.996321]) expect(normalInv(p)).toBeCloseTo(refInv(p), 6);
  });
});

describe("PSR and DSR", () => {
  it("agree with the reference formulas on skewed, fat-tailed returns", () => {
    const returns = sampleReturns(2000, 7, 0.0009);
    const ref = refMoments(returns);
    const mine = returnMoments(returns);
    expect(mine.sharpe).toBeCloseTo(ref.sharpe, 10);
    expect(mine.skew).toBeCloseTo(ref.skew, 8);
    expect(mine.kurtosis).toBeCloseTo(ref.kurtosis, 8);
    expect(ref.skew).toBeLessThan(-0.3);
    expect(ref.kurtosis).toBeGreaterThan(3.5);
    expect(probabilisticSharpe(mine, 0)).toBeCloseTo(refPsr(ref, 0), 6);

    const trialSharpes = [0.01, 0.05, -0.02, 0.08, 0.03, 0.0, 0.06, ref.sharpe];
    const mean = trialSharpes.reduce((a, b) => a + b, 0) / trialSharpes.length;
    const variance = trialSharpes.reduce((a, b) => a + (b - mean) ** 2, 0) / (trialSharpes.length - 1);
    const sr0 = refExpectedMax(trialSharpes.length, variance);
    const d = deflatedSharpe(mine, trialSharpes.length, trialSharpes);
    expect(d.expectedMaxSharpe).toBeCloseTo(sr0, 7);
    expect(d.sharpeVariance).toBeCloseTo(variance, 12);
    expect(d.dsr!).toBeCloseTo(refPsr(ref, sr0), 6);
    expect(d.dsr!).toBeLessThan(d.psr!);
  });

  it("reproduces the paper's example (N=100, V=1/2 annual, SR 2.5 annual, T=1250, skew −3, kurtosis 10): DSR ≈ 0.9004", () => {
    const sr = 2.5 / Math.sqrt(250);
    const sr0 = expectedMaxSharpe(100, 0.5 / 250);
    expect(sr0).toBeCloseTo(0.1132, 4);
    expect(probabilisticSharpe({ n: 1250, sharpe: sr, skew: -3, kurtosis: 10 }, sr0)).toBeCloseTo(0.9004, 3);
  });

  it("one trial deflates nothing", () => {
    const m = returnMoments(sampleReturns(500, 3, 0.001));
    expect(expectedMaxSharpe(1, 0.1)).toBe(0);
    expect(deflatedSharpe(m, 1, [m.sharpe]).dsr).toBe(deflatedSharpe(m, 1, [m.sharpe]).psr);
  });
});
