/**
 * Backtest trades as chart markers: an arrow at each entry and exit, aligned to the bar of the
 * chart's timeframe that contains the fill, sorted by time as lightweight-charts requires. Labels
 * never overlap: at the chart's bar spacing, a marker keeps its label ("Buy", "+12.30") only when
 * it clears the previous label on the same side of the bars ({@link declutterLabels}); the arrow
 * always stays.
 */
import type { SeriesMarker, Time, UTCTimestamp } from "lightweight-charts";
import type { Timeframe } from "../../../common/market/bars.ts";
import { bucketStart } from "../../../common/market/timeframes.ts";
import type { TradeRecord } from "../../../common/strategy/results.ts";

const LONG = "#26a69a";
const SHORT = "#ef5350";

/** The open time (UTC ms) of the bar of `timeframe` containing `ms`. */
export function barOpen(ms: number, timeframe: Timeframe): number {
  return bucketStart(timeframe, ms);
}

/** Entry and exit markers of the trades at the chart's timeframe. */
export function tradeMarkers(trades: readonly TradeRecord[], timeframe: Timeframe): SeriesMarker<Time>[] {
  const out: SeriesMarker<Time>[] = [];
  const at = (ms: number): UTCTimestamp => (barOpen(ms, timeframe) / 1000) as UTCTimestamp;
  for (const t of trades) {
    const long = t.side === "long";
    out.push({ time: at(t.entryTime), position: long ? "belowBar" : "aboveBar", shape: long ? "arrowUp" : "arrowDown", color: long ? LONG : SHORT, text: long ? "Buy" : "Short" });
    if (t.exitTime !== null) {
      out.push({ time: at(t.exitTime), position: long ? "aboveBar" : "belowBar", shape: long ? "arrowDown" : "arrowUp", color: long ? SHORT : LONG, text: `${t.pnl >= 0 ? "+" : ""}${t.pnl.toFixed(2)}` });
    }
  }
  return out.sort((a, b) => (a.time as number) - (b.time as number));
}

/** Width of a marker label in px (12 px UI font, tabular digits) plus a gap. */
function labelWidth(text: string): number {
  return text.length * 7 + 8;
}

/** Index of the last time ≤ `t` in sorted `times` (0 when none). */
function indexAt(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The markers (sorted by time) with the labels that would overlap an earlier label on the same side
 * of the bars cleared: two labels need their half widths between their bars' centres, which are
 * `barSpacing` px apart per bar of `times` (the series' bar times, as the markers').
 */
export function declutterLabels(markers: readonly SeriesMarker<Time>[], times: readonly number[], barSpacing: number): SeriesMarker<Time>[] {
  const last = new Map<string, { x: number; half: number }>();
  return markers.map((m) => {
    if (!m.text) return m;
    const x = indexAt(times, m.time as number) * barSpacing;
    const half = labelWidth(m.text) / 2;
    const prev = last.get(m.position);
    if (prev && x - prev.x < prev.half + half) return { ...m, text: "" };
    last.set(m.position, { x, half });
    return m;
  });
}
