/**
 * The equity curve kept with a saved run: at most a few thousand points of (bar time, equity), the
 * lowest and highest point of each stretch of bars in time order plus the first and last bar, so
 * a reopened or compared run draws the same shape (peaks and drawdowns) as the live result.
 */

/** Bar open times (UTC ms) and equity at each kept bar's close. */
export interface EquityCurve {
  time: number[];
  equity: number[];
}

/** Points a saved curve keeps at most (about). */
export const SAVED_CURVE_POINTS = 4000;

/** The curve of `equity` at `time`, thinned to about `maxPoints` points (all of them when fewer). */
export function thinEquityCurve(time: ArrayLike<number>, equity: ArrayLike<number>, maxPoints = SAVED_CURVE_POINTS): EquityCurve {
  const n = Math.min(time.length, equity.length);
  const out: EquityCurve = { time: [], equity: [] };
  const push = (i: number): void => {
    if (out.time.at(-1) === time[i]) return;
    out.time.push(time[i]!);
    out.equity.push(equity[i]!);
  };
  const stride = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(maxPoints / 2))));
  for (let start = 0; start < n; start += stride) {
    const end = Math.min(n, start + stride);
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (equity[i]! < equity[lo]!) lo = i;
      if (equity[i]! > equity[hi]!) hi = i;
    }
    if (start === 0) push(0);
    push(Math.min(lo, hi));
    push(Math.max(lo, hi));
  }
  if (n > 0) push(n - 1);
  return out;
}
