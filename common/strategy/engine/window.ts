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
 * window for good to the exact binary sum: first as a pair of doubles (`hi` rounded, `lo` the exact
 * rest), each step checked to be exact, and, the first time one is not, as a full expansion
 * (`exact.ts`). Either way the mean is the exact sum divided once and corrected (`exact.ts`).
 *
 * Speed: `push` and `mean` are the hottest code of a backtest, so their common paths are short
 * (to be inlined into the strategy's `onBar`), read and write only number fields, and leave the
 * rare cases (a finer grid, the switch to binary) to separate methods.
 */
import { ExactSum, pairMean } from "./exact.ts";

const MAX_DIGITS = 8;
const POW10 = Array.from({ length: MAX_DIGITS + 1 }, (_, d) => 10 ** d);
/** Scaled integers stay below 2^51, so `round(x * 10^d)` recovers `k` exactly. */
const MAX_SCALED = 2 ** 51;

/** How the window keeps its sum. */
const DECIMAL = 0;
const PAIR = 1;
const EXPANSION = 2;

/** `k` with `x` the double nearest `k / p`, or NaN when `x` is not on that grid. */
function gridInt(x: number, p: number): number {
  const k = Math.round(x * p);
  return Math.abs(k) < MAX_SCALED && k / p === x ? k : Number.NaN;
}

/** A fixed-size ring of the last `period` inputs with their sum (decimal-exact, else binary-exact). */
export class Window {
  readonly buf: Float64Array;
  readonly period: number;
  count = 0;
  private head = 0;
  /** DECIMAL, PAIR or EXPANSION. */
  private mode = DECIMAL;
  private digits = 0;
  private scale = 1;
  private scaledSum = 0;
  /** The exact binary sum as `hi + lo` (PAIR): `hi` is it rounded, `lo` the exact rest. */
  private hi = 0;
  private lo = 0;
  private readonly exact = new ExactSum();

  constructor(period: number) {
    this.buf = new Float64Array(period);
    this.period = period;
  }

  /** Adds `x` (finite), dropping the oldest input when full. */
  push(x: number): void {
    const n = this.period;
    const h = this.head;
    const full = this.count === n;
    const old = full ? this.buf[h]! : 0;
    this.buf[h] = x;
    this.head = h + 1 === n ? 0 : h + 1;
    if (!full) this.count++;
    if (this.mode === DECIMAL) {
      const scale = this.scale;
      const k = Math.round(x * scale);
      const next = this.scaledSum - (full ? Math.round(old * scale) : 0) + k;
      if (Math.abs(k) < MAX_SCALED && k / scale === x && Math.abs(next) < MAX_SCALED) {
        this.scaledSum = next;
        return;
      }
      this.pushOffGrid(x, old, full);
    } else if (this.mode === PAIR) {
      if (!(this.addPair(x) && (!full || this.addPair(-old)))) this.toExpansion();
    } else {
      if (full) this.exact.add(-old);
      this.exact.add(x);
    }
  }

  get full(): boolean {
    return this.count === this.period;
  }

  /** The mean of the window, rounded once. */
  mean(): number {
    if (this.mode === DECIMAL) return this.scaledSum / (this.count * this.scale);
    return this.mode === PAIR ? pairMean(this.hi, this.lo, this.count) : this.exact.mean(this.count);
  }

  /** `x` was off the current grid (or the sum too big): a finer grid, else the exact binary sum. */
  private pushOffGrid(x: number, old: number, full: boolean): void {
    let scale = this.scale;
    let digits = this.digits;
    let k = gridInt(x, scale);
    let sum = this.scaledSum;
    if (Number.isNaN(k)) {
      // On a finer grid? (A value on a grid is on every finer one too.)
      do digits++;
      while (digits <= MAX_DIGITS && Number.isNaN(gridInt(x, POW10[digits]!)));
      if (digits > MAX_DIGITS) return this.toBinary();
      const factor = POW10[digits]! / scale;
      if (Math.abs(sum) * factor >= MAX_SCALED) return this.toBinary();
      sum *= factor;
      scale = POW10[digits]!;
      k = gridInt(x, scale);
    }
    const next = sum - (full ? Math.round(old * scale) : 0) + k;
    if (Math.abs(next) >= MAX_SCALED) return this.toBinary();
    this.scaledSum = next;
    this.scale = scale;
    this.digits = digits;
  }

  /** Adds `x` to the pair exactly; false (the pair then undefined) when `hi + lo` cannot hold the sum. */
  private addPair(x: number): boolean {
    const a = this.hi;
    const b = this.lo;
    // a + x = s + e exactly (two-sum), then b + e must be exact too.
    const s = a + x;
    const sv = s - a;
    const e = a - (s - sv) + (x - sv);
    const t = b + e;
    const tv = t - b;
    if (b - (t - tv) + (e - tv) !== 0) return false;
    // Renormalised: hi = s + t rounded, lo the exact rest.
    const hi = s + t;
    const hv = hi - s;
    this.lo = s - (hi - hv) + (t - hv);
    this.hi = hi;
    return true;
  }

  /** Switches to the exact binary sum of the inputs in the window. */
  private toBinary(): void {
    this.mode = PAIR;
    this.hi = 0;
    this.lo = 0;
    for (let i = 0; i < this.count; i++) {
      if (!this.addPair(this.buf[i]!)) return this.toExpansion();
    }
  }

  /** Switches to the full expansion, for good. */
  private toExpansion(): void {
    this.mode = EXPANSION;
    this.exact.clear();
    for (let i = 0; i < this.count; i++) this.exact.add(this.buf[i]!);
  }
}
