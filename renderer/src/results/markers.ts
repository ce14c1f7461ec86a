/**
 * Backtest trades as chart markers: an arrow at each entry and exit, aligned to the bar of the
 * chart's timeframe that contains the fill, sorted by time as lightweight-charts requires.
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
