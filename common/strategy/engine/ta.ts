/**
 * Streaming indicators (`ta` in the strategy API). Each `update(x)` is O(1) amortised (stdev and
 * bbands are O(period)); values are NaN until the indicator is warm.
 *
 * - Rolling sums are exact in decimal while the inputs are decimals of at most 8 places (scaled
 *   integers, one division for the mean: equal decimal means are the same double), else exact in
 *   binary (see `window.ts`, `exact.ts`); either way equal averages compare equal and do not drift.
 * - EMA: seeded with the simple average of the first `period` inputs, then
 *   `ema += alpha * (x - ema)` with `alpha = 2 / (period + 1)` (a constant input stays exact).
 * - RSI and ATR use Wilder's smoothing `avg = (avg * (n - 1) + x) / n`, seeded with the simple
 *   average of the first n changes (RSI) or true ranges (ATR). RSI is 100 when the average loss is
 *   0 and 50 when both averages are 0. The first true range is high - low.
 * - stdev is the population standard deviation, recomputed over the window on every update.
 * - highest/lowest use a monotonic deque.
 * Non-finite inputs are skipped: the window is unchanged and `update` returns the current value.
 */
import type { BarIndicator, BollingerBands, Indicator, Macd, Series, TA } from "../api.ts";
import { Window } from "./window.ts";

function checkPeriod(name: string, period: number): number {
  if (!Number.isInteger(period) || period < 1 || period > 1_000_000) {
    throw new RangeError(`ta.${name}: period must be an integer between 1 and 1000000 (got ${String(period)})`);
  }
  return period;
}

/** Base of the single-input indicators: value bookkeeping shared by all. */
abstract class Streaming implements Indicator {
  value = Number.NaN;
  prev = Number.NaN;

  get ready(): boolean {
    return !Number.isNaN(this.value);
  }

  update(x: number): number {
    if (!Number.isFinite(x)) return this.value;
    this.prev = this.value;
    this.value = this.next(x);
    return this.value;
  }

  protected abstract next(x: number): number;
}

class Sma extends Streaming {
  private readonly w: Window;
  constructor(period: number) {
    super();
    this.w = new Window(checkPeriod("sma", period));
  }
  // Its own `update` (the hottest indicator), short so that it and the window's push and mean are
  // inlined into the strategy's `onBar`: its property accesses see one class only, and no double
  // crosses a call (a double passed to or returned from a call that is not inlined is boxed).
  override update(x: number): number {
    if (!Number.isFinite(x)) return this.value;
    this.prev = this.value;
    const w = this.w;
    w.push(x);
    const v = w.count === w.period ? w.mean() : Number.NaN;
    this.value = v;
    return v;
  }
  protected next(x: number): number {
    this.w.push(x);
    return this.w.full ? this.w.mean() : Number.NaN;
  }
}

class Ema extends Streaming {
  private readonly alpha: number;
  private readonly seed: Window;
  constructor(period: number) {
    super();
    this.alpha = 2 / (checkPeriod("ema", period) + 1);
    this.seed = new Window(period);
  }
  protected next(x: number): number {
    if (!this.seed.full) {
      this.seed.push(x);
      return this.seed.full ? this.seed.mean() : Number.NaN;
    }
    return this.value + this.alpha * (x - this.value);
  }
}

/** Wilder's smoothing seeded with the simple average of the first n inputs (also used by the screener's ADX). */
export class Wilder {
  private readonly n: number;
  private readonly seed: Window;
  avg = Number.NaN;
  constructor(n: number) {
    this.n = n;
    this.seed = new Window(n);
  }
  push(x: number): number {
    if (!this.seed.full) {
      this.seed.push(x);
      if (this.seed.full) this.avg = this.seed.mean();
      return this.avg;
    }
    this.avg = (this.avg * (this.n - 1) + x) / this.n;
    return this.avg;
  }
}

class Rsi extends Streaming {
  private last = Number.NaN;
  private readonly gains: Wilder;
  private readonly losses: Wilder;
  constructor(period: number) {
    super();
    checkPeriod("rsi", period);
    this.gains = new Wilder(period);
    this.losses = new Wilder(period);
  }
  protected next(x: number): number {
    const prevX = this.last;
    this.last = x;
    if (Number.isNaN(prevX)) return Number.NaN;
    const d = x - prevX;
    const g = this.gains.push(d > 0 ? d : 0);
    const l = this.losses.push(d < 0 ? -d : 0);
    if (Number.isNaN(g)) return Number.NaN;
    if (l === 0) return g === 0 ? 50 : 100;
    return 100 - 100 / (1 + g / l);
  }
}

class Atr implements BarIndicator {
  value = Number.NaN;
  prev = Number.NaN;
  private lastClose = Number.NaN;
  private readonly tr: Wilder;
  constructor(period: number) {
    this.tr = new Wilder(checkPeriod("atr", period));
  }
  get ready(): boolean {
    return !Number.isNaN(this.value);
  }
  update(bar: { high: number; low: number; close: number }): number {
    const { high, low, close } = bar;
    if (!Number.isFinite(high) || !Number.isFinite(low) || !Number.isFinite(close)) return this.value;
    const pc = this.lastClose;
    const tr = Number.isNaN(pc) ? high - low : Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc));
    this.lastClose = close;
    this.prev = this.value;
    this.value = this.tr.push(tr);
    return this.value;
  }
}

/** Population standard deviation of the window around its exact mean. */
function windowStdev(w: Window): number {
  const mean = w.mean();
  let ss = 0;
  for (let i = 0; i < w.count; i++) {
    const d = w.buf[i]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / w.count);
}

class Stdev extends Streaming {
  private readonly w: Window;
  constructor(period: number) {
    super();
    this.w = new Window(checkPeriod("stdev", period));
  }
  protected next(x: number): number {
    this.w.push(x);
    return this.w.full ? windowStdev(this.w) : Number.NaN;
  }
}

class Bbands extends Streaming implements BollingerBands {
  upper = Number.NaN;
  lower = Number.NaN;
  private readonly w: Window;
  private readonly mult: number;
  constructor(period: number, mult: number) {
    super();
    if (!Number.isFinite(mult)) throw new RangeError("ta.bbands: mult must be a finite number");
    this.w = new Window(checkPeriod("bbands", period));
    this.mult = mult;
  }
  get middle(): number {
    return this.value;
  }
  protected next(x: number): number {
    this.w.push(x);
    if (!this.w.full) return Number.NaN;
    const mid = this.w.mean();
    const sd = windowStdev(this.w);
    this.upper = mid + this.mult * sd;
    this.lower = mid - this.mult * sd;
    return mid;
  }
}

class MacdInd extends Streaming implements Macd {
  signal = Number.NaN;
  histogram = Number.NaN;
  private readonly fast: Ema;
  private readonly slow: Ema;
  private readonly sig: Ema;
  constructor(fast: number, slow: number, signal: number) {
    super();
    this.fast = new Ema(checkPeriod("macd", fast));
    this.slow = new Ema(checkPeriod("macd", slow));
    this.sig = new Ema(checkPeriod("macd", signal));
  }
  get macd(): number {
    return this.value;
  }
  protected next(x: number): number {
    const f = this.fast.update(x);
    const s = this.slow.update(x);
    if (Number.isNaN(f) || Number.isNaN(s)) return Number.NaN;
    const m = f - s;
    this.signal = this.sig.update(m);
    this.histogram = m - this.signal;
    return m;
  }
}

/** Highest (sign 1) or lowest (sign -1) of the last `period` inputs, with a monotonic deque. */
class Extreme extends Streaming {
  private readonly vals: Float64Array;
  private readonly idx: Float64Array;
  private head = 0;
  private size = 0;
  private t = 0;
  private readonly period: number;
  private readonly sign: number;
  constructor(name: string, period: number, sign: number) {
    super();
    this.period = checkPeriod(name, period);
    this.vals = new Float64Array(period + 1);
    this.idx = new Float64Array(period + 1);
    this.sign = sign;
  }
  protected next(x: number): number {
    const cap = this.vals.length;
    const v = x * this.sign;
    while (this.size > 0 && this.vals[(this.head + this.size - 1) % cap]! <= v) this.size--;
    const at = (this.head + this.size) % cap;
    this.vals[at] = v;
    this.idx[at] = this.t;
    this.size++;
    while (this.idx[this.head]! <= this.t - this.period) {
      this.head = (this.head + 1) % cap;
      this.size--;
    }
    this.t++;
    return this.t >= this.period ? this.vals[this.head]! * this.sign : Number.NaN;
  }
}

function pair(b: Series | number): [number, number] {
  return typeof b === "number" ? [b, b] : [b.prev, b.value];
}

/** True when `a` was at or below `b` on the previous update and is above it now. */
export function crossover(a: Series, b: Series | number): boolean {
  const [bp, bv] = pair(b);
  return a.prev <= bp && a.value > bv;
}

/** True when `a` was at or above `b` on the previous update and is below it now. */
export function crossunder(a: Series, b: Series | number): boolean {
  const [bp, bv] = pair(b);
  return a.prev >= bp && a.value < bv;
}

/** Builds the (frozen) indicator library handed to strategies. */
export function createTA(): TA {
  return Object.freeze({
    sma: (period: number): Indicator => new Sma(period),
    ema: (period: number): Indicator => new Ema(period),
    rsi: (period: number): Indicator => new Rsi(period),
    atr: (period: number): BarIndicator => new Atr(period),
    bbands: (period: number, mult = 2): BollingerBands => new Bbands(period, mult),
    macd: (fast = 12, slow = 26, signal = 9): Macd => new MacdInd(fast, slow, signal),
    stdev: (period: number): Indicator => new Stdev(period),
    highest: (period: number): Indicator => new Extreme("highest", period, 1),
    lowest: (period: number): Indicator => new Extreme("lowest", period, -1),
    crossover,
    crossunder,
  });
}
