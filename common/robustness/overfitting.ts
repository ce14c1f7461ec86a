/**
 * Overfitting statistics of a sweep. Each combination's worker computes, from its in-sample
 * equity curve, the sums of its per-bar returns (for moments) and of {@link DEFAULT_PBO_BLOCKS}
 * blocks (for CSCV) — a few hundred numbers instead of the returns. From those: the number of
 * trials, the deflated Sharpe ratio of the combination with the highest in-sample Sharpe, and the
 * probability of backtest overfitting. Returns are the metrics' own: r0 = e0 / cash − 1,
 * ri = ei / e(i−1) − 1.
 */
import { DEFAULT_PBO_BLOCKS, probabilityOfOverfitting, type BlockSums, type PboResult } from "./pbo.ts";
import { deflatedSharpe, momentsFromSums, type DeflatedSharpe, type ReturnSums } from "./stats.ts";

/** What a sweep row's worker reports for the overfitting statistics. */
export interface RowStats {
  sums: ReturnSums;
  blocks: BlockSums[];
}

/** Stats of the per-bar returns of `equity[0..to)` started from `startCash`. */
export function rowStats(startCash: number, equity: ArrayLike<number>, to: number = equity.length, blocks: number = DEFAULT_PBO_BLOCKS): RowStats {
  const sums: ReturnSums = { n: 0, s1: 0, s2: 0, s3: 0, s4: 0 };
  const out: BlockSums[] = [];
  let prev = startCash;
  for (let b = 0; b < blocks; b++) {
    const from = Math.floor((b * to) / blocks);
    const end = Math.floor(((b + 1) * to) / blocks);
    let s1 = 0;
    let s2 = 0;
    for (let i = from; i < end; i++) {
      const r = equity[i]! / prev - 1;
      prev = equity[i]!;
      const r2 = r * r;
      s1 += r;
      s2 += r2;
      sums.s3 += r2 * r;
      sums.s4 += r2 * r2;
    }
    sums.n += end - from;
    sums.s1 += s1;
    sums.s2 += s2;
    out.push([end - from, s1, s2]);
  }
  return { sums, blocks: out };
}

/** A sweep's overfitting statistics. */
export interface SweepOverfitting {
  /** Combinations tried (failed ones included). */
  trials: number;
  /** DSR of the combination with the highest in-sample Sharpe, with what went into it; null when none has one. */
  deflated: (DeflatedSharpe & { index: number }) | null;
  pbo: PboResult | null;
}

/** The statistics from every row's stats (`stats` by row index; rows without stats failed). */
export function sweepOverfitting(trials: number, stats: ReadonlyMap<number, RowStats>): SweepOverfitting {
  const entries = [...stats.entries()].sort((a, b) => a[0] - b[0]);
  const moments = entries.map(([index, s]) => ({ index, m: momentsFromSums(s.sums) }));
  const finite = moments.filter((x) => Number.isFinite(x.m.sharpe));
  let best: (typeof finite)[number] | null = null;
  for (const x of finite) if (best === null || x.m.sharpe > best.m.sharpe) best = x;
  const deflated = best === null ? null : { index: best.index, ...deflatedSharpe(best.m, trials, finite.map((x) => x.m.sharpe)) };
  const usable = entries.filter(([, s]) => s.sums.n >= DEFAULT_PBO_BLOCKS * 2).map(([, s]) => s.blocks);
  const pbo = usable.length >= 2 ? probabilityOfOverfitting(usable) : null;
  return { trials, deflated, pbo };
}
