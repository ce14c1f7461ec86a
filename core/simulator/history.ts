/**
 * Synthetic history of a simulated symbol: one-minute candles for the time before the simulator
 * started, so a chart opened on the simulated venue shows a market that has been moving rather
 * than a flat line. The price at a minute boundary is a closed-form function of that minute — a
 * few slow waves (≈47 min to ≈7 days, ±0.1 % to ±4 %) plus per-minute noise from an integer hash —
 * anchored so it equals the starting price at the simulator's start. Any range can be computed
 * without walking from the start, the same minute always gives the same candle, and each candle
 * opens at the previous one's close. Wicks and volume come from the same hash. Prices are rounded
 * to whole ticks (this generates data; it parses no money).
 */
import type { SimCandle } from "./market.ts";

const MINUTE = 60_000;
/** Waves as [period in minutes, amplitude as a fraction of the price]. */
const WAVES: readonly [number, number][] = [[47, 0.0012], [257, 0.0045], [1741, 0.015], [9_643, 0.04]];
/** Peak-to-peak size of the per-minute noise, as a fraction of the price. */
const NOISE = 0.0016;
/** Largest wick beyond the candle's body, as a fraction of the price. */
const WICK = 0.0009;

/** A 32-bit integer hash of (`a`, `b`) mapped to [0, 1). */
function unit(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** A 32-bit hash of a string (FNV-1a), so each symbol has its own history. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The synthetic history of one symbol, anchored at (`originMs`, `originTicks`). */
export class SyntheticHistory {
  private readonly seed: number;
  private readonly originMinute: number;
  private readonly originTicks: number;
  private readonly lotsScale: number;
  private readonly offset: number;

  /** `lotsScale`: lots of an average minute's volume. */
  constructor(symbol: string, originMs: number, originTicks: number, lotsScale: number) {
    this.seed = seedOf(symbol);
    this.originMinute = Math.floor(originMs / MINUTE);
    this.originTicks = originTicks;
    this.lotsScale = lotsScale;
    this.offset = this.shape(this.originMinute);
  }

  /** The first minute (ms) the history does not cover: the simulator's start, floored to a minute. */
  get end(): number {
    return this.originMinute * MINUTE;
  }

  /** The candle of the minute starting at `t` (a multiple of a minute before {@link end}). */
  candle(t: number): SimCandle {
    const m = Math.floor(t / MINUTE);
    const open = this.ticksAt(m);
    const close = this.ticksAt(m + 1);
    const wickUp = Math.round(this.originTicks * WICK * unit(m, this.seed ^ 0x51));
    const wickDown = Math.round(this.originTicks * WICK * unit(m, this.seed ^ 0xa7));
    const activity = 0.3 + 1.4 * unit(m, this.seed ^ 0x3c);
    return {
      t: m * MINUTE,
      open,
      close,
      high: Math.max(open, close) + wickUp,
      low: Math.max(1, Math.min(open, close) - wickDown),
      lots: Math.round(this.lotsScale * activity),
      trades: 1 + Math.round(120 * activity),
    };
  }

  /** The price in ticks at the start of minute `m`: the starting price at the origin, never below one tick. */
  private ticksAt(m: number): number {
    return Math.max(1, Math.round(this.originTicks * (1 + this.shape(m) - this.offset)));
  }

  /** The relative price shape at minute `m`: the waves plus the minute's noise. */
  private shape(m: number): number {
    let s = (unit(m, this.seed) - 0.5) * NOISE;
    for (let k = 0; k < WAVES.length; k++) {
      const [period, amplitude] = WAVES[k]!;
      const phase = unit(k, this.seed) * 2 * Math.PI;
      s += amplitude * Math.sin((2 * Math.PI * m) / period + phase);
    }
    return s;
  }
}
