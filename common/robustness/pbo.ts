/**
 * Probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV; Bailey,
 * Borwein, López de Prado & Zhu 2015). The T returns of each of N trials are cut into S contiguous
 * blocks; for every way of choosing S/2 blocks as the in-sample set (the rest out-of-sample) the
 * trial with the best in-sample Sharpe is found, its out-of-sample rank ω among the N (relative:
 * rank / (N + 1), ties counted half) gives the logit λ = ln(ω / (1 − ω)), and PBO is the share of
 * splits with λ ≤ 0 (the in-sample winner at or below the out-of-sample median).
 *
 * Only each block's count, sum and sum of squares are needed, so sweeps send those, not returns.
 * With many trials the splits are sampled (seeded) so that N × splits stays under a budget.
 */
import { seededRandom } from "../random.ts";

/** Count, sum and sum of squares of one block of returns. */
export type BlockSums = [n: number, s1: number, s2: number];

/** Default number of CSCV blocks. */
export const DEFAULT_PBO_BLOCKS = 16;

/** The sums of `blocks` contiguous blocks of `returns` (block b covers [⌊bT/S⌋, ⌊(b+1)T/S⌋)). */
export function blockSums(returns: ArrayLike<number>, blocks: number = DEFAULT_PBO_BLOCKS): BlockSums[] {
  const t = returns.length;
  const out: BlockSums[] = [];
  for (let b = 0; b < blocks; b++) {
    const from = Math.floor((b * t) / blocks);
    const to = Math.floor(((b + 1) * t) / blocks);
    let s1 = 0;
    let s2 = 0;
    for (let i = from; i < to; i++) {
      s1 += returns[i]!;
      s2 += returns[i]! ** 2;
    }
    out.push([to - from, s1, s2]);
  }
  return out;
}

/** Result of {@link probabilityOfOverfitting}. */
export interface PboResult {
  /** Share of splits whose in-sample best is at or below the out-of-sample median; null with fewer than two trials. */
  pbo: number | null;
  blocks: number;
  /** Splits evaluated. */
  splits: number;
  /** True when the splits were a seeded sample of all C(S, S/2). */
  sampled: boolean;
  /** Mean logit λ over the splits. */
  meanLogit: number | null;
}

/** Options of {@link probabilityOfOverfitting}. */
export interface PboOptions {
  /** Largest trials × splits evaluated (default 5 million); beyond it the splits are sampled. */
  budget?: number;
  seed?: number;
}

function sharpeOf(n: number, s1: number, s2: number): number {
  if (n < 2) return Number.NaN;
  const mean = s1 / n;
  const variance = (s2 - n * mean * mean) / (n - 1);
  return variance > 0 ? mean / Math.sqrt(variance) : Number.NaN;
}

/** Every S/2-subset of S blocks as a bit mask, or a seeded sample of `limit` of them. */
function splitMasks(blocks: number, limit: number, seed: number): { masks: number[]; sampled: boolean } {
  const half = blocks / 2;
  const all: number[] = [];
  for (let m = 0; m < 1 << blocks; m++) {
    let bits = 0;
    for (let x = m; x; x &= x - 1) bits++;
    if (bits === half) all.push(m);
  }
  if (all.length <= limit) return { masks: all, sampled: false };
  const rand = seededRandom(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return { masks: all.slice(0, Math.max(1, limit)), sampled: true };
}

/** Per-period Sharpe of each trial over the blocks in (or out of) `mask`. */
function sharpes(trials: readonly BlockSums[][], mask: number, inside: boolean): Float64Array {
  const out = new Float64Array(trials.length);
  for (let k = 0; k < trials.length; k++) {
    let n = 0;
    let s1 = 0;
    let s2 = 0;
    const blocks = trials[k]!;
    for (let b = 0; b < blocks.length; b++) {
      if (((mask >> b) & 1) === 1 !== inside) continue;
      n += blocks[b]![0];
      s1 += blocks[b]![1];
      s2 += blocks[b]![2];
    }
    out[k] = sharpeOf(n, s1, s2);
  }
  return out;
}

/** The logit of the in-sample winner's relative out-of-sample rank in one split; null when no trial has a Sharpe in-sample. */
function splitLogit(trials: readonly BlockSums[][], mask: number): number | null {
  const isSr = sharpes(trials, mask, true);
  let best = -1;
  for (let k = 0; k < isSr.length; k++) if (Number.isFinite(isSr[k]!) && (best < 0 || isSr[k]! > isSr[best]!)) best = k;
  if (best < 0) return null;
  const oos = sharpes(trials, mask, false);
  const value = (x: number) => (Number.isFinite(x) ? x : Number.NEGATIVE_INFINITY);
  const mine = value(oos[best]!);
  let below = 0;
  let ties = 0;
  for (let k = 0; k < oos.length; k++) {
    if (k === best) continue;
    const v = value(oos[k]!);
    if (v < mine) below++;
    else if (v === mine) ties++;
  }
  const omega = (1 + below + ties / 2) / (trials.length + 1);
  return Math.log(omega / (1 - omega));
}

/** PBO of trials given as block sums (every trial with the same number of blocks, even). */
export function probabilityOfOverfitting(trials: readonly BlockSums[][], opts: PboOptions = {}): PboResult {
  const blocks = trials[0]?.length ?? 0;
  if (blocks < 2 || blocks % 2 !== 0 || blocks > 24) throw new RangeError("CSCV needs an even number of blocks from 2 to 24");
  if (trials.some((t) => t.length !== blocks)) throw new RangeError("every trial needs the same number of blocks");
  if (trials.length < 2) return { pbo: null, blocks, splits: 0, sampled: false, meanLogit: null };
  const limit = Math.max(100, Math.floor((opts.budget ?? 5_000_000) / trials.length));
  const { masks, sampled } = splitMasks(blocks, limit, opts.seed ?? 1);
  let counted = 0;
  let overfit = 0;
  let logitSum = 0;
  for (const mask of masks) {
    const lambda = splitLogit(trials, mask);
    if (lambda === null) continue;
    counted++;
    logitSum += lambda;
    if (lambda <= 0) overfit++;
  }
  return { pbo: counted > 0 ? overfit / counted : null, blocks, splits: counted, sampled, meanLogit: counted > 0 ? logitSum / counted : null };
}
