/**
 * Bars on the chart's side: aggregates 1-minute candles into longer timeframes (for venue klines
 * when the store has no history) with the live-bar builder core also uses, and keeps the last
 * update of each bar of a frame.
 */
import type { CandlesPage } from "../../../common/api/store.ts";
import { BarBuilder } from "../../../common/market/bar-builder.ts";
import { bucketStart, type BarPeriod } from "../../../common/market/timeframes.ts";
import type { LegendBar } from "./types.ts";

/** Columns of bars, oldest first (the columns of a store candles page). */
export type BarCols = Pick<CandlesPage, "time" | "open" | "high" | "low" | "close" | "volume">;

/** Aggregates sorted bars into bars of `period` (whose bars hold whole bars of theirs). */
export function aggregateBars(bars: ReadonlyArray<LegendBar>, period: BarPeriod): BarCols {
  const out: BarCols = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  const builder = new BarBuilder(period);
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
    const bucket = bucketStart(period, bar.time);
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
