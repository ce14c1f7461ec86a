/**
 * Live data of the active chart: trades of the instrument's feed (`market.trades`, batched per
 * frame by core) built into bars of the chart's timeframe, and recent venue candles
 * (`market.candles`, 1-minute klines) when the store has no history for the symbol yet.
 */
import { TIMEFRAMES, type Timeframe } from "../../../common/market/bars.ts";
import { api } from "../stores/connection.ts";
import type { InstrumentRef } from "../stores/chart.ts";
import { aggregateBars, BarBuilder, type BarCols } from "./bar-builder.ts";
import type { LegendBar } from "./controller.ts";

/** Symbols the live feeds serve: BASE/QUOTE in capitals. */
export function isFeedSymbol(symbol: string): boolean {
  return /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/.test(symbol);
}

/** Subscribes to the forming bar of an instrument, continuing from `seed`; returns the unsubscriber. */
export function subscribeLiveBars(instrument: InstrumentRef, timeframe: Timeframe, seed: LegendBar | null, onBar: (bar: LegendBar) => void): () => void {
  if (!isFeedSymbol(instrument.symbol)) return () => undefined;
  const builder = new BarBuilder(TIMEFRAMES[timeframe]);
  builder.seed(seed);
  return api.subscribe("market.trades", { feed: instrument.venue, symbol: instrument.symbol }, {
    onEvent: (batch) => {
      let touched: LegendBar | null = null;
      for (const t of batch.trades) {
        const bar = builder.add(t.ts, Number(t.price), Number(t.size));
        if (!bar) continue;
        if (touched && bar.time !== touched.time) onBar({ ...touched });
        touched = bar;
      }
      if (touched) onBar({ ...touched });
    },
  });
}

/** Recent candles from the venue (1-minute klines aggregated to the timeframe); empty when not available. */
export async function venueCandles(instrument: InstrumentRef, timeframe: Timeframe): Promise<BarCols | null> {
  const tf = TIMEFRAMES[timeframe];
  if (!isFeedSymbol(instrument.symbol) || tf < TIMEFRAMES["1m"]) return null;
  const candles = await api.call("market.candles", { feed: instrument.venue, symbol: instrument.symbol, limit: 1000 });
  const bars = candles.map((c) => ({ time: c.t, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume) }));
  return aggregateBars(bars, tf);
}
