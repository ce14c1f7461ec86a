/**
 * Live bars from trades: the bucket of a trade is `bucketStart` (./timeframes.ts: UTC, a bar's time
 * is its open time; weeks from Monday, calendar months); a trade in the current bucket extends the bar, a later one opens a new bar, an older
 * one is ignored. Core builds the live bars it streams to windows with it; a window continues the
 * last stored bar with them ({@link continueBar}).
 */
import type { LiveBar } from "../api/store.ts";
import { bucketStart, type BarPeriod } from "./timeframes.ts";

/** Aggregates trades into bars of `period` (a timeframe, or a fixed length in ms). */
export class BarBuilder {
  private readonly period: BarPeriod;
  private bar: LiveBar | null = null;

  constructor(period: BarPeriod) {
    this.period = period;
  }

  /** The bar being built, if any. */
  get current(): LiveBar | null {
    return this.bar;
  }

  /** Continues from the last stored bar (live trades in its bucket extend it). */
  seed(bar: LiveBar | null): void {
    this.bar = bar ? { ...bar } : null;
  }

  /**
   * Adds a trade; returns the bar it landed in (the builder's own object, changed in place while
   * its bucket lasts), or null when it is older than the current bar or not a finite number.
   */
  add(ts: number, price: number, size: number): LiveBar | null {
    if (!Number.isFinite(price) || !Number.isFinite(size) || !Number.isFinite(ts)) return null;
    const time = bucketStart(this.period, ts);
    const b = this.bar;
    if (b && time < b.time) return null;
    if (!b || time > b.time) {
      this.bar = { time, open: price, high: price, low: price, close: price, volume: size };
      return this.bar;
    }
    b.high = Math.max(b.high, price);
    b.low = Math.min(b.low, price);
    b.close = price;
    b.volume += size;
    return b;
  }
}

/**
 * A live bar (built from the trades since a subscription began) continuing the stored bar `seed`:
 * the same bucket merges (the seed's open, both extremes, the live close, volumes added), a later
 * bucket stands alone, an earlier one is null (history already has it).
 */
export function continueBar(seed: LiveBar | null, live: LiveBar): LiveBar | null {
  if (!seed || live.time > seed.time) return live;
  if (live.time < seed.time) return null;
  return { time: live.time, open: seed.open, high: Math.max(seed.high, live.high), low: Math.min(seed.low, live.low), close: live.close, volume: seed.volume + live.volume };
}
