/**
 * Exact rolling sums for indicators, so averages do not drift.
 *
 * Algorithm: the running sum is kept as a floating-point expansion (Shewchuk, "Adaptive
 * Precision Floating-Point Arithmetic", 1997): a short list of non-overlapping doubles, smallest
 * first, whose exact sum is the exact sum of every value added. Adding a value (or removing one,
 * by adding its negation) is exact, so a rolling window never accumulates error however long it
 * runs. The mean is the expansion divided by n and then corrected once with the exactly computed
 * remainder (Dekker's product split), which gives the correctly rounded quotient in all but
 * pathological cases: windows whose exact means are equal produce equal doubles, so crossovers do
 * not fire on rounding noise.
 */

const SPLITTER = 134217729; // 2^27 + 1, Dekker's split constant

/**
 * The exact rounding error of `s = r + t` (Knuth's two-sum; the same value as Neumaier's
 * compensation term, which is also exact, but without its data-dependent branch, which the CPU
 * mispredicts about half the time on the nearly equal remainders it sees here).
 */
function neumaierError(r: number, t: number, s: number): number {
  const tv = s - r;
  return r - (s - tv) + (t - tv);
}

/**
 * The exact sum `hi + lo` (`hi` it rounded, `lo` the exact rest) divided by `n` (a positive
 * integer below 2^26), rounded once: the same steps as {@link ExactSum.mean} on the two-part
 * expansion `[lo, hi]`, without the array.
 */
export function pairMean(hi: number, lo: number, n: number): number {
  const m = (lo + hi) / n;
  if (!Number.isFinite(m)) return m;
  const c = SPLITTER * m;
  const mHi = c - (c - m);
  const mLo = m - mHi;
  const prod = m * n;
  const prodLo = mHi * n - prod + mLo * n;
  let r = hi - prod;
  let s = r + lo;
  let comp = neumaierError(r, lo, s);
  r = s;
  s = r - prodLo;
  comp += neumaierError(r, -prodLo, s);
  return m + (s + comp) / n;
}

/** A running exact sum of doubles. */
export class ExactSum {
  private parts = new Float64Array(8);
  private len = 0;

  /** Adds `x` exactly (pass `-x` to remove a value). */
  add(x: number): void {
    let q = x;
    let j = 0;
    const parts = this.parts;
    const len = this.len;
    for (let i = 0; i < len; i++) {
      const e = parts[i]!;
      const s = q + e;
      const bv = s - q;
      const err = q - (s - bv) + (e - bv);
      q = s;
      if (err !== 0) parts[j++] = err;
    }
    if (q !== 0 || j === 0) {
      if (j >= parts.length) this.grow();
      this.parts[j++] = q;
    }
    this.len = j;
  }

  /** Resets to zero. */
  clear(): void {
    this.len = 0;
  }

  /** The sum rounded to a double (components added smallest first). */
  value(): number {
    let s = 0;
    for (let i = 0; i < this.len; i++) s += this.parts[i]!;
    return s;
  }

  /** The exact sum divided by `n` (a positive integer below 2^26), rounded once. */
  mean(n: number): number {
    const parts = this.parts;
    const len = this.len;
    // value(), inlined (mean runs on every indicator update).
    let sum = 0;
    for (let i = 0; i < len; i++) sum += parts[i]!;
    const m = sum / n;
    if (!Number.isFinite(m)) return m;
    // m * n exactly, as hi + lo (n is an integer below 2^26, so only m needs splitting).
    const c = SPLITTER * m;
    const mHi = c - (c - m);
    const mLo = m - mHi;
    const hi = m * n;
    const lo = mHi * n - hi + mLo * n;
    // remainder = exact sum - hi - lo: the top part and hi nearly cancel (exactly, by Sterbenz),
    // the rest is summed with Neumaier compensation.
    const top = len - 1;
    let r = (top >= 0 ? parts[top]! : 0) - hi;
    let comp = 0;
    for (let i = top - 1; i >= 0; i--) {
      const t = parts[i]!;
      const s = r + t;
      comp += neumaierError(r, t, s);
      r = s;
    }
    if (top >= 0) {
      // The last term, -lo.
      const t = -lo;
      const s = r + t;
      comp += neumaierError(r, t, s);
      r = s;
    }
    return m + (r + comp) / n;
  }

  private grow(): void {
    const next = new Float64Array(this.parts.length * 2);
    next.set(this.parts);
    this.parts = next;
  }
}
