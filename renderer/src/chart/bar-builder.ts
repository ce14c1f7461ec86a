/**
 * Builds the live bars of a timeframe from trades: the bucket of a trade is
 * `floor(ts / tf) * tf` (UTC, a bar's time is its open time); a trade in the current bucket
 * extends the bar, a later one opens a new bar, an older one is ignored. Also aggregates
 * 1-minute candles into longer timeframes (for venue klines when the store has no history).
 */
import type { CandlesPage } from "../../../common/api/store.ts";
import type { LegendBar } from "./types.ts";

/** Aggregates trades into bars of `tfMs`. */
export class BarBuilder {
  private readonly tfMs: number;
  private bar: LegendBar | null = null;

  constructor(tfMs: number) {
    this.tfMs = tfMs;
  }

  /** The bar being built, if any. */
  get current(): LegendBar | null {
    return this.bar;
  }

  /** Continues from the last stored bar (live trades in its bucket extend it). */
  seed(bar: LegendBar | null): void {
    this.bar = bar ? { ...bar } : null;
  }

  /** Adds a trade; returns the bar it landed in, or null when it is older than the current bar. */
  add(ts: number, price: number, size: number): LegendBar | null {
    if (!Number.isFinite(price) || !Number.isFinite(size) || !Number.isFinite(ts)) return null;
    const time = Math.floor(ts / this.tfMs) * this.tfMs;
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

/** Columns of bars, oldest first (the columns of a store candles page). */
export type BarCols = Pick<CandlesPage, "time" | "open" | "high" | "low" | "close" | "volume">;

/** Aggregates sorted bars into bars of `tfMs` (a multiple of their own spacing). */
export function aggregateBars(bars: ReadonlyArray<LegendBar>, tfMs: number): BarCols {
  const out: BarCols = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  const builder = new BarBuilder(tfMs);
  let last: LegendBar | null = null;
  const flush = (b: LegendBar | null): void => {
    if (!b) return;
    out.time.push(b.time);
    out.open.push(b.open);
    out.high.push(b.high);
    out.low.push(b.low);
    out.close.push(b.close);
    out.volume.push(b.volume);
  };
  for (const bar of bars) {
    const bucket = Math.floor(bar.time / tfMs) * tfMs;
    if (last && bucket > last.time) flush({ ...last });
    if (!last || bucket > last.time) builder.seed({ time: bucket, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume });
    else if (bucket === last.time) {
      builder.add(bucket, bar.high, 0);
      builder.add(bucket, bar.low, 0);
      builder.add(bucket, bar.close, bar.volume);
    }
    last = builder.current;
  }
  flush(last);
  return out;
}

/** The last update of each bar, in time order (a frame may carry many updates of the same bar). */
export function latestPerBar(updates: readonly LegendBar[]): LegendBar[] {
  const out: LegendBar[] = [];
  for (const u of updates) {
    const last = out[out.length - 1];
    if (last && last.time === u.time) out[out.length - 1] = u;
    else if (!last || u.time > last.time) out.push(u);
  }
  return out;
}
