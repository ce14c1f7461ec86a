/**
 * The rolling window of the indicators, with a sum that is exact in decimal while it can be.
 *
 * Prices are decimals (`100.0385`), but most have no exact binary value: two windows whose decimal
 * prices have exactly the same mean can differ by an ulp after even an exact binary sum, and a
 * crossover would fire on representation noise. So while every input is on a decimal grid of at
 * most 8 places (the double is the nearest one to `k / 10^d`), the window keeps the sum of the
 * scaled integers `k` (at the finest grid seen so far; exact while below 2^53) and the mean is one
 * division `sum / (count * 10^d)` of two exact integers: correctly rounded, so equal decimal means
 * are the same double. The first input off every grid, or a sum that would pass 2^53, switches the
 * window for good to the exact binary sum (`exact.ts`), which is then exact for the doubles.
 */
import { ExactSum } from "./exact.ts";

const MAX_DIGITS = 8;
const POW10 = Array.from({ length: MAX_DIGITS + 1 }, (_, d) => 10 ** d);
/** Scaled integers stay below 2^51, so `round(x * 10^d)` recovers `k` exactly. */
const MAX_SCALED = 2 ** 51;

/** `k` with `x` the double nearest `k / p`, or NaN when `x` is not on that grid. */
function gridInt(x: number, p: number): number {
  const k = Math.round(x * p);
  return Math.abs(k) < MAX_SCALED && k / p === x ? k : Number.NaN;
}

/** A fixed-size ring of the last `period` inputs with their sum (decimal-exact, else binary-exact). */
export class Window {
  readonly buf: Float64Array;
  count = 0;
  private head = 0;
  /** True while the sum is kept as scaled integers. */
  private decimal = true;
  private digits = 0;
  private scale = 1;
  private scaledSum = 0;
  private readonly exact = new ExactSum();

  constructor(period: number) {
    this.buf = new Float64Array(period);
  }

  /** Adds `x` (finite), dropping the oldest input when full. */
  push(x: number): void {
    const n = this.buf.length;
    const old = this.count === n ? this.buf[this.head]! : Number.NaN;
    if (this.count < n) this.count++;
    this.buf[this.head] = x;
    this.head = this.head + 1 === n ? 0 : this.head + 1;
    if (this.decimal) {
      if (this.pushDecimal(x, old)) return;
      this.toBinary();
      return;
    }
    if (!Number.isNaN(old)) this.exact.add(-old);
    this.exact.add(x);
  }

  get full(): boolean {
    return this.count === this.buf.length;
  }

  /** The mean of the window, rounded once. */
  mean(): number {
    return this.decimal ? this.scaledSum / (this.count * this.scale) : this.exact.mean(this.count);
  }

  /** Updates the scaled sum; false (nothing changed) when `x` is off every grid or the sum would grow too big. */
  private pushDecimal(x: number, old: number): boolean {
    let scale = this.scale;
    let digits = this.digits;
    let k = gridInt(x, scale);
    let sum = this.scaledSum;
    if (Number.isNaN(k)) {
      // On a finer grid? (A value on a grid is on every finer one too.)
      do digits++;
      while (digits <= MAX_DIGITS && Number.isNaN(gridInt(x, POW10[digits]!)));
      if (digits > MAX_DIGITS) return false;
      const factor = POW10[digits]! / scale;
      if (Math.abs(sum) * factor >= MAX_SCALED) return false;
      sum *= factor;
      scale = POW10[digits]!;
      k = gridInt(x, scale);
    }
    const next = sum - (Number.isNaN(old) ? 0 : Math.round(old * scale)) + k;
    if (Math.abs(next) >= MAX_SCALED) return false;
    this.scaledSum = next;
    this.scale = scale;
    this.digits = digits;
    return true;
  }

  /** Switches to the exact binary sum of the inputs in the window. */
  private toBinary(): void {
    this.decimal = false;
    this.exact.clear();
    for (let i = 0; i < this.count; i++) this.exact.add(this.buf[i]!);
  }
}
