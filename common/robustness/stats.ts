/**
 * Sharpe-ratio statistics of Bailey & López de Prado (2012, 2014): return moments, the
 * probabilistic Sharpe ratio (PSR), the expected maximum Sharpe ratio of N trials and the deflated
 * Sharpe ratio (DSR). Every Sharpe ratio here is per period (not annualised), risk-free rate 0:
 *
 * - PSR(SR*) = Φ( (SR − SR*) √(T − 1) / √(1 − γ3 SR + (γ4 − 1)/4 SR²) ), γ3 = skew, γ4 = raw kurtosis (3 for normal);
 * - E[max SR] = √V[SR_n] ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))), γ = Euler–Mascheroni;
 * - DSR = PSR(E[max SR]).
 */

/** Euler–Mascheroni constant. */
export const EULER_GAMMA = 0.5772156649015329;

/** Running sums of a return series: count and the sums of r, r², r³, r⁴. */
export interface ReturnSums {
  n: number;
  s1: number;
  s2: number;
  s3: number;
  s4: number;
}

/** Mean, sample standard deviation, per-period Sharpe, skew and raw kurtosis of a series. */
export interface ReturnMoments {
  n: number;
  mean: number;
  sd: number;
  /** mean / sd, per period. */
  sharpe: number;
  /** Third standardised moment (population). */
  skew: number;
  /** Fourth standardised moment (population; 3 for a normal distribution). */
  kurtosis: number;
}

/** The sums of `returns`. */
export function returnSums(returns: ArrayLike<number>): ReturnSums {
  const s: ReturnSums = { n: 0, s1: 0, s2: 0, s3: 0, s4: 0 };
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    const r2 = r * r;
    s.n++;
    s.s1 += r;
    s.s2 += r2;
    s.s3 += r2 * r;
    s.s4 += r2 * r2;
  }
  return s;
}

/** Moments from sums (sd with n − 1; skew and kurtosis from the population central moments). */
export function momentsFromSums(s: ReturnSums): ReturnMoments {
  const { n } = s;
  const mean = s.s1 / n;
  const m2 = s.s2 / n - mean * mean;
  const m3 = s.s3 / n - 3 * mean * (s.s2 / n) + 2 * mean ** 3;
  const m4 = s.s4 / n - 4 * mean * (s.s3 / n) + 6 * mean * mean * (s.s2 / n) - 3 * mean ** 4;
  const variance = Math.max(0, m2) * (n / (n - 1));
  const sd = Math.sqrt(variance);
  return { n, mean, sd, sharpe: sd > 0 ? mean / sd : Number.NaN, skew: m2 > 0 ? m3 / m2 ** 1.5 : Number.NaN, kurtosis: m2 > 0 ? m4 / (m2 * m2) : Number.NaN };
}

/** Moments of a return series. */
export function returnMoments(returns: ArrayLike<number>): ReturnMoments {
  return momentsFromSums(returnSums(returns));
}

/** erfc(x) (Numerical Recipes' Chebyshev fit, relative error under 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** The standard normal distribution function Φ. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return 0.5 * erfc(-x / Math.SQRT2);
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** The inverse of Φ (Acklam's rational approximation, relative error under 1.2e-9); ±Infinity at 0 and 1. */
export function normalInv(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}

/** Probabilistic Sharpe ratio: the probability that the true per-period Sharpe exceeds `benchmark`. */
export function probabilisticSharpe(m: Pick<ReturnMoments, "n" | "sharpe" | "skew" | "kurtosis">, benchmark = 0): number {
  const sr = m.sharpe;
  const denom = 1 - m.skew * sr + ((m.kurtosis - 1) / 4) * sr * sr;
  if (!Number.isFinite(sr) || !(denom > 0) || m.n < 2) return Number.NaN;
  return normalCdf(((sr - benchmark) * Math.sqrt(m.n - 1)) / Math.sqrt(denom));
}

/** Expected maximum per-period Sharpe of `trials` independent trials whose Sharpe ratios have variance `variance` (0 for one trial). */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (trials <= 1 || !(variance > 0)) return 0;
  const z = (1 - EULER_GAMMA) * normalInv(1 - 1 / trials) + EULER_GAMMA * normalInv(1 - 1 / (trials * Math.E));
  return Math.sqrt(variance) * z;
}

/** Sample variance (n − 1) of the finite values; 0 with fewer than two. */
export function sampleVariance(values: readonly number[]): number {
  const xs = values.filter(Number.isFinite);
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
}

/** The deflated Sharpe ratio and what went into it. */
export interface DeflatedSharpe {
  /** DSR: PSR against the expected maximum Sharpe of the trials. */
  dsr: number | null;
  /** PSR against 0. */
  psr: number | null;
  /** The best trial's per-period Sharpe. */
  sharpe: number | null;
  /** Expected maximum per-period Sharpe under no skill. */
  expectedMaxSharpe: number;
  trials: number;
  /** Variance of the trials' per-period Sharpe ratios. */
  sharpeVariance: number;
  skew: number | null;
  kurtosis: number | null;
  /** Returns the best trial's statistics came from. */
  observations: number;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** DSR of the selected trial `best` among `trials` trials whose per-period Sharpe ratios are `trialSharpes`. */
export function deflatedSharpe(best: ReturnMoments, trials: number, trialSharpes: readonly number[]): DeflatedSharpe {
  const sharpeVariance = sampleVariance(trialSharpes);
  const sr0 = expectedMaxSharpe(trials, sharpeVariance);
  return {
    dsr: finiteOrNull(probabilisticSharpe(best, sr0)),
    psr: finiteOrNull(probabilisticSharpe(best, 0)),
    sharpe: finiteOrNull(best.sharpe),
    expectedMaxSharpe: sr0,
    trials,
    sharpeVariance,
    skew: finiteOrNull(best.skew),
    kurtosis: finiteOrNull(best.kurtosis),
    observations: best.n,
  };
}
