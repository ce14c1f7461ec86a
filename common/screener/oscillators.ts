/**
 * The technical rating's oscillators that the strategy `ta` library does not have: Stochastic,
 * CCI, ADX with +DI/−DI, Awesome Oscillator, Momentum, Williams %R, Bull Bear Power and the
 * Ultimate Oscillator. Each is streaming (`update(bar)` once per bar, oldest first), keeps its
 * previous value (`prev`, for "rising"/"falling") and is NaN until warm. Formulas:
 *
 * - Stochastic(k, smoothK, d): raw %K = 100·(close − lowest low k)/(highest high k − lowest low k)
 *   (50 when the range is 0); %K = SMA(smoothK) of raw %K; %D = SMA(d) of %K.
 * - CCI(n): typical price TP = (h + l + c)/3; (TP − SMA(TP))/(0.015 · mean |TP − SMA(TP)|); 0 when
 *   the mean deviation is 0.
 * - ADX(n): +DM/−DM and true range smoothed by Wilder (seeded with their simple mean); +DI, −DI =
 *   100·smoothed DM/smoothed TR; DX = 100·|+DI − −DI|/(+DI + −DI); ADX = Wilder(n) of DX.
 * - Awesome Oscillator: SMA(5) − SMA(34) of the median price (h + l)/2.
 * - Momentum(n): close − close n bars ago.
 * - Williams %R(n): −100·(highest high − close)/(highest high − lowest low) (−50 when flat).
 * - Bull Bear Power(n): (high − EMA(n) of close) + (low − EMA(n) of close).
 * - Ultimate Oscillator(7, 14, 28): buying pressure BP = close − min(low, prev close), TR =
 *   max(high, prev close) − min(low, prev close); A_k = ΣBP/ΣTR over k bars;
 *   100·(4·A7 + 2·A14 + A28)/7 (from the second bar on).
 */
import type { Indicator } from "../strategy/api.ts";
import { Wilder, createTA } from "../strategy/engine/ta.ts";

/** One bar's prices as the oscillators read them. */
export interface HlcBar {
  high: number;
  low: number;
  close: number;
}

/** A streaming indicator over bars. */
export interface BarSeries {
  update(bar: HlcBar): number;
  readonly value: number;
  readonly prev: number;
}

const ta = createTA();

/** Shared value/prev bookkeeping. */
abstract class BarOscillator implements BarSeries {
  value = Number.NaN;
  prev = Number.NaN;
  update(bar: HlcBar): number {
    if (!Number.isFinite(bar.high) || !Number.isFinite(bar.low) || !Number.isFinite(bar.close)) return this.value;
    this.prev = this.value;
    this.value = this.next(bar);
    return this.value;
  }
  protected abstract next(bar: HlcBar): number;
}

/** Stochastic %K (value) and %D (`d`). */
export class Stochastic extends BarOscillator {
  d = Number.NaN;
  prevD = Number.NaN;
  private readonly hh: Indicator;
  private readonly ll: Indicator;
  private readonly smoothK: Indicator;
  private readonly smoothD: Indicator;
  constructor(k = 14, smoothK = 3, d = 3) {
    super();
    this.hh = ta.highest(k);
    this.ll = ta.lowest(k);
    this.smoothK = ta.sma(smoothK);
    this.smoothD = ta.sma(d);
  }
  protected next(bar: HlcBar): number {
    const hh = this.hh.update(bar.high);
    const ll = this.ll.update(bar.low);
    if (Number.isNaN(hh)) return Number.NaN;
    const raw = hh === ll ? 50 : (100 * (bar.close - ll)) / (hh - ll);
    const k = this.smoothK.update(raw);
    this.prevD = this.d;
    if (!Number.isNaN(k)) this.d = this.smoothD.update(k);
    return k;
  }
}

/** Commodity Channel Index. */
export class Cci extends BarOscillator {
  private readonly tp: Float64Array;
  private count = 0;
  private readonly period: number;
  constructor(period = 20) {
    super();
    this.period = period;
    this.tp = new Float64Array(period);
  }
  protected next(bar: HlcBar): number {
    const n = this.period;
    this.tp[this.count % n] = (bar.high + bar.low + bar.close) / 3;
    const last = this.tp[this.count % n]!;
    this.count++;
    if (this.count < n) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.tp[i]!;
    const mean = sum / n;
    let dev = 0;
    for (let i = 0; i < n; i++) dev += Math.abs(this.tp[i]! - mean);
    dev /= n;
    return dev === 0 ? 0 : (last - mean) / (0.015 * dev);
  }
}

/** Average Directional Index (value) with +DI (`plusDi`) and −DI (`minusDi`). */
export class Adx extends BarOscillator {
  plusDi = Number.NaN;
  minusDi = Number.NaN;
  private readonly tr: Wilder;
  private readonly plus: Wilder;
  private readonly minus: Wilder;
  private readonly adx: Wilder;
  private lastHigh = Number.NaN;
  private lastLow = Number.NaN;
  private lastClose = Number.NaN;
  constructor(period = 14) {
    super();
    this.tr = new Wilder(period);
    this.plus = new Wilder(period);
    this.minus = new Wilder(period);
    this.adx = new Wilder(period);
  }
  protected next(bar: HlcBar): number {
    const lastHigh = this.lastHigh;
    const lastLow = this.lastLow;
    const lastClose = this.lastClose;
    this.lastHigh = bar.high;
    this.lastLow = bar.low;
    this.lastClose = bar.close;
    if (Number.isNaN(lastClose)) return Number.NaN;
    const up = bar.high - lastHigh;
    const down = lastLow - bar.low;
    const tr = this.tr.push(Math.max(bar.high - bar.low, Math.abs(bar.high - lastClose), Math.abs(bar.low - lastClose)));
    const plus = this.plus.push(up > down && up > 0 ? up : 0);
    const minus = this.minus.push(down > up && down > 0 ? down : 0);
    if (Number.isNaN(tr)) return Number.NaN;
    this.plusDi = tr === 0 ? 0 : (100 * plus) / tr;
    this.minusDi = tr === 0 ? 0 : (100 * minus) / tr;
    const sum = this.plusDi + this.minusDi;
    return this.adx.push(sum === 0 ? 0 : (100 * Math.abs(this.plusDi - this.minusDi)) / sum);
  }
}

/** Awesome Oscillator. */
export class AwesomeOscillator extends BarOscillator {
  private readonly fast = ta.sma(5);
  private readonly slow = ta.sma(34);
  protected next(bar: HlcBar): number {
    const median = (bar.high + bar.low) / 2;
    return this.fast.update(median) - this.slow.update(median);
  }
}

/** Momentum: close minus the close `period` bars ago. */
export class Momentum extends BarOscillator {
  private readonly closes: Float64Array;
  private count = 0;
  private readonly period: number;
  constructor(period = 10) {
    super();
    this.period = period;
    this.closes = new Float64Array(period + 1);
  }
  protected next(bar: HlcBar): number {
    const n = this.period + 1;
    this.closes[this.count % n] = bar.close;
    this.count++;
    return this.count < n ? Number.NaN : bar.close - this.closes[this.count % n]!;
  }
}

/** Williams %R. */
export class WilliamsR extends BarOscillator {
  private readonly hh: Indicator;
  private readonly ll: Indicator;
  constructor(period = 14) {
    super();
    this.hh = ta.highest(period);
    this.ll = ta.lowest(period);
  }
  protected next(bar: HlcBar): number {
    const hh = this.hh.update(bar.high);
    const ll = this.ll.update(bar.low);
    if (Number.isNaN(hh)) return Number.NaN;
    return hh === ll ? -50 : (-100 * (hh - bar.close)) / (hh - ll);
  }
}

/** Bull Bear Power (Elder ray): bull power plus bear power around an EMA of the close. */
export class BullBearPower extends BarOscillator {
  private readonly ema: Indicator;
  constructor(period = 13) {
    super();
    this.ema = ta.ema(period);
  }
  protected next(bar: HlcBar): number {
    const ema = this.ema.update(bar.close);
    return bar.high - ema + (bar.low - ema);
  }
}

/** Ultimate Oscillator (7, 14, 28 by default). */
export class UltimateOscillator extends BarOscillator {
  private readonly bp: Indicator[];
  private readonly tr: Indicator[];
  private lastClose = Number.NaN;
  constructor(periods: [number, number, number] = [7, 14, 28]) {
    super();
    this.bp = periods.map((p) => ta.sma(p));
    this.tr = periods.map((p) => ta.sma(p));
  }
  protected next(bar: HlcBar): number {
    const pc = this.lastClose;
    this.lastClose = bar.close;
    if (Number.isNaN(pc)) return Number.NaN;
    const low = Math.min(bar.low, pc);
    const bp = bar.close - low;
    const tr = Math.max(bar.high, pc) - low;
    const a7 = this.ratio(0, bp, tr);
    const a14 = this.ratio(1, bp, tr);
    const a28 = this.ratio(2, bp, tr);
    return (100 * (4 * a7 + 2 * a14 + a28)) / 7;
  }
  /** ΣBP/ΣTR over the i-th window (as the ratio of their means), after adding this bar. */
  private ratio(i: number, bp: number, tr: number): number {
    const b = this.bp[i]!.update(bp);
    const t = this.tr[i]!.update(tr);
    return t === 0 ? 0 : b / t;
  }
}
