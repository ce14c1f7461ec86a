/**
 * Paper fills as chart markers: each fill of the chart's instrument an arrow at the bar of the
 * chart's timeframe that holds its venue time (buys below, sells above, labelled with size @ price),
 * read from core every two seconds while the chart shows the instrument.
 */
import { useEffect, useMemo, useState } from "react";
import type { SeriesMarker, Time, UTCTimestamp } from "lightweight-charts";
import type { Timeframe } from "../../../common/market/bars.ts";
import type { TradingFill } from "../../../common/trading/orders.ts";
import type { InstrumentRef } from "../chart/types.ts";
import { barOpen } from "../results/markers.ts";
import { api } from "../stores/connection.ts";

const BUY = "#26a69a";
const SELL = "#ef5350";
const POLL_MS = 2000;

/** Markers of `fills` at the chart's timeframe, sorted by time. */
export function fillMarkers(fills: readonly TradingFill[], timeframe: Timeframe): SeriesMarker<Time>[] {
  return fills
    .map((f): SeriesMarker<Time> => {
      const buy = f.side === "buy";
      return {
        time: (barOpen(f.venueTime, timeframe) / 1000) as UTCTimestamp,
        position: buy ? "belowBar" : "aboveBar",
        shape: buy ? "arrowUp" : "arrowDown",
        color: buy ? BUY : SELL,
        text: `${buy ? "B" : "S"} ${f.size}@${f.price}`,
      };
    })
    .sort((a, b) => (a.time as number) - (b.time as number));
}

/** Hook: the paper fill markers of `instrument` at `timeframe` (none without an instrument). */
export function usePaperFillMarkers(instrument: InstrumentRef | null, timeframe: Timeframe): SeriesMarker<Time>[] {
  const [fills, setFills] = useState<TradingFill[]>([]);
  useEffect(() => {
    setFills([]);
    if (!instrument) return;
    let live = true;
    const read = (): void =>
      void api.call("trading.fills", { venue: instrument.venue, symbol: instrument.symbol }).then(
        (list) => live && setFills((prev) => (prev.length === list.length ? prev : list)),
        () => undefined,
      );
    read();
    const timer = setInterval(read, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [instrument]);
  return useMemo(() => fillMarkers(fills, timeframe), [fills, timeframe]);
}

/** Two marker lists (each sorted by time) as one, sorted by time as lightweight-charts requires. */
export function mergeMarkers(a: readonly SeriesMarker<Time>[], b: readonly SeriesMarker<Time>[]): SeriesMarker<Time>[] {
  if (b.length === 0) return a.slice();
  return [...a, ...b].sort((x, y) => (x.time as number) - (y.time as number));
}
