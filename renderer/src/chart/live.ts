/**
 * Live bars of the active chart. The live-market-data feed publishes bars per symbol and
 * timeframe; until core offers that stream this returns a no-op subscription and the chart shows
 * stored history only.
 */
import type { Timeframe } from "../../../common/market/bars.ts";
import type { InstrumentRef } from "../stores/chart.ts";
import type { LegendBar } from "./controller.ts";

/** Subscribes to the forming bar of a symbol; returns the unsubscriber. */
export function subscribeLiveBars(_instrument: InstrumentRef, _timeframe: Timeframe, _onBar: (bar: LegendBar) => void): () => void {
  return () => undefined;
}
