/**
 * Monte Carlo of a run, seeded (the same seed gives the same answer):
 * - `shuffle`: the trades' net P&L in a random order (final equity is unchanged, the path and its
 *   drawdown are not);
 * - `skip`: each trade left out with probability `skipProbability` (default 0.1);
 * - `bootstrap`: a moving-block bootstrap of the per-bar returns (block length ⌈T^(1/3)⌉);
 * - `costs`: each trade's fees and slippage redrawn around the set values (× U(0.5, 1.5) each).
 * Trade methods add the trades' P&L to the starting cash in exit order (fixed size, no
 * compounding); the bootstrap compounds returns. Reported as the 5th, 50th and 95th percentiles
 * of final equity, max drawdown and CAGR (over the run's span), plus a fan of equity percentiles.
 */
import { seededRandom } from "../random.ts";
import type { TradeRecord } from "../strategy/results.ts";

/** Monte Carlo methods. */
export const MONTE_CARLO_METHODS = ["shuffle", "skip", "bootstrap", "costs"] as const;

/** A Monte Carlo method. */
export type MonteCarloMethod = (typeof MONTE_CARLO_METHODS)[number];

/** 5th, 50th and 95th percentiles. */
export interface Percentiles {
  p5: number | null;
  p50: number | null;
  p95: number | null;
}

/** What a Monte Carlo runs on. */
export interface MonteCarloInput {
  startCash: number;
  /** The run's first and last bar times (UTC ms), for CAGR. */
  startTime: number;
  endTime: number;
  trades: readonly TradeRecord[];
  /** Per-bar returns (needed by `bootstrap`). */
  returns?: ArrayLike<number>;
  /** The run's slippage in bps (for `costs`; the fees are each trade's own). */
  slippageBps: number;
}

/** Options of {@link monteCarlo}. */
export interface MonteCarloOptions {
  method: MonteCarloMethod;
  runs: number;
  seed: number;
  skipProbability?: number;
  /** Points of the equity fan (default 50). */
  fanPoints?: number;
}

/** The result (the CLI prints all but `fan`). */
export interface MonteCarloResult {
  method: MonteCarloMethod;
  runs: number;
  seed: number;
  finalEquity: Percentiles;
  maxDrawdown: Percentiles;
  cagr: Percentiles;
  /** Equity percentiles at evenly spaced steps of the path (trades or bars), for fan charts. */
  fan: { step: number; p5: number; p50: number; p95: number }[];
}

const YEAR_MS = 365.25 * 86_400_000;

/** Linear-interpolation quantile of sorted finite values; null when there are none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The 5/50/95 percentiles of `values` (non-finite ones left out). */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return { p5: quantile(sorted, 0.05), p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
}

/** Tracks one simulated path: its final value, max drawdown and values at the fan's checkpoints. */
class PathStats {
  peak: number;
  maxDd = 0;
  value: number;
  readonly marks: number[] = [];
  constructor(start: number) {
    this.peak = start;
    this.value = start;
  }
  step(value: number): void {
    this.value = value;
    if (value >= this.peak) this.peak = value;
    else if (this.peak > 0) this.maxDd = Math.max(this.maxDd, (this.peak - value) / this.peak);
  }
}

/** Trades in exit order (open ones last, by entry). */
function exitOrder(trades: readonly TradeRecord[]): TradeRecord[] {
  return trades.slice().sort((a, b) => (a.exitTime ?? Number.POSITIVE_INFINITY) - (b.exitTime ?? Number.POSITIVE_INFINITY) || a.entryTime - b.entryTime);
}

/** Checkpoint steps (1-based path positions) of a fan over `length` steps. */
function checkpoints(length: number, points: number): number[] {
  const n = Math.max(1, Math.min(points, length));
  return Array.from({ length: n }, (_, i) => Math.max(1, Math.round(((i + 1) * length) / n)));
}

/** One path over per-step P&L (added) or returns (compounded). */
function walk(start: number, steps: ArrayLike<number>, compound: boolean, marks: readonly number[]): PathStats {
  const path = new PathStats(start);
  let m = 0;
  for (let i = 0; i < steps.length; i++) {
    path.step(compound ? path.value * (1 + steps[i]!) : path.value + steps[i]!);
    while (m < marks.length && marks[m] === i + 1) {
      path.marks.push(path.value);
      m++;
    }
  }
  return path;
}

function shuffled(pnl: readonly number[], rand: () => number): number[] {
  const out = pnl.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function withCosts(trades: readonly TradeRecord[], input: MonteCarloInput, rand: () => number): number[] {
  return trades.map((t) => {
    const fees = t.fees * (0.5 + rand());
    const notional = t.size * (t.entryPrice + (t.exitPrice ?? t.entryPrice));
    const slip = (rand() - 0.5) * (input.slippageBps / 10_000) * notional;
    return t.pnl + t.fees - fees - slip;
  });
}

function blockBootstrap(returns: ArrayLike<number>, rand: () => number): Float64Array {
  const t = returns.length;
  const block = Math.max(1, Math.ceil(Math.cbrt(t)));
  const out = new Float64Array(t);
  for (let i = 0; i < t; ) {
    const start = Math.floor(rand() * Math.max(1, t - block + 1));
    for (let k = 0; k < block && i < t; k++) out[i++] = returns[Math.min(t - 1, start + k)]!;
  }
  return out;
}

/** The steps of one simulated run. */
function simulatedSteps(input: MonteCarloInput, opts: MonteCarloOptions, trades: TradeRecord[], rand: () => number): ArrayLike<number> {
  const pnl = trades.map((t) => t.pnl);
  switch (opts.method) {
    case "shuffle":
      return shuffled(pnl, rand);
    case "skip": {
      const p = opts.skipProbability ?? 0.1;
      return pnl.map((x) => (rand() < p ? 0 : x));
    }
    case "costs":
      return withCosts(trades, input, rand);
    case "bootstrap":
      if (!input.returns) throw new TypeError("bootstrap needs the run's per-bar returns");
      return blockBootstrap(input.returns, rand);
  }
}

/** Runs the Monte Carlo. */
export function monteCarlo(input: MonteCarloInput, opts: MonteCarloOptions): MonteCarloResult {
  if (!MONTE_CARLO_METHODS.includes(opts.method)) throw new RangeError(`unknown Monte Carlo method "${String(opts.method)}"`);
  const rand = seededRandom(opts.seed);
  const trades = exitOrder(input.trades);
  const compound = opts.method === "bootstrap";
  const length = compound ? (input.returns?.length ?? 0) : trades.length;
  const marks = checkpoints(length, opts.fanPoints ?? 50);
  const years = (input.endTime - input.startTime) / YEAR_MS;
  const finals: number[] = [];
  const dds: number[] = [];
  const cagrs: number[] = [];
  const markValues: number[][] = marks.map(() => []);
  for (let run = 0; run < opts.runs; run++) {
    const path = walk(input.startCash, simulatedSteps(input, opts, trades, rand), compound, marks);
    finals.push(path.value);
    dds.push(path.maxDd);
    cagrs.push(path.value > 0 ? (path.value / input.startCash) ** (1 / years) - 1 : -1);
    path.marks.forEach((v, i) => markValues[i]!.push(v));
  }
  const fan = length === 0 ? [] : marks.map((step, i) => {
    const p = percentiles(markValues[i]!);
    return { step, p5: p.p5 ?? Number.NaN, p50: p.p50 ?? Number.NaN, p95: p.p95 ?? Number.NaN };
  });
  return { method: opts.method, runs: opts.runs, seed: opts.seed, finalEquity: percentiles(finals), maxDrawdown: percentiles(dds), cagr: percentiles(cagrs), fan };
}
