/**
 * Live data of the active chart: bars of the chart's timeframe built by core from the instrument's
 * trades (`market.bars`, a few bars per update at most 20 times a second, never every trade),
 * continuing the last stored bar, and recent venue candles (`market.candles`, 1-minute klines)
 * when the store has no history for the symbol yet.
 */
import { TIMEFRAMES, type Timeframe } from "../../../common/market/bars.ts";
import { continueBar } from "../../../common/market/bar-builder.ts";
import { api } from "../stores/connection.ts";
import type { InstrumentRef } from "../stores/chart.ts";
import { aggregateBars, type BarCols } from "./bar-builder.ts";
import type { LegendBar } from "./controller.ts";

/** Symbols the live feeds serve: BASE/QUOTE in capitals. */
export function isFeedSymbol(symbol: string): boolean {
  return /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/.test(symbol);
}

/** Subscribes to the live bars of an instrument, continuing from the stored bar `seed`; returns the unsubscriber. */
export function subscribeLiveBars(instrument: InstrumentRef, timeframe: Timeframe, seed: LegendBar | null, onBar: (bar: LegendBar) => void): () => void {
  if (!isFeedSymbol(instrument.symbol)) return () => undefined;
  return api.subscribe("market.bars", { feed: instrument.venue, symbol: instrument.symbol, timeframe }, {
    onEvent: (batch) => {
      for (const live of batch.bars) {
        const bar = continueBar(seed, live);
        if (bar) onBar(bar);
      }
    },
  });
}

/** Recent candles from the venue (1-minute klines aggregated to the timeframe); empty when not available. */
export async function venueCandles(instrument: InstrumentRef, timeframe: Timeframe): Promise<BarCols | null> {
  if (!isFeedSymbol(instrument.symbol) || TIMEFRAMES[timeframe] < TIMEFRAMES["1m"]) return null;
  const candles = await api.call("market.candles", { feed: instrument.venue, symbol: instrument.symbol, limit: 1000 });
  const bars = candles.map((c) => ({ time: c.t, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close), volume: Number(c.volume) }));
  return aggregateBars(bars, timeframe);
}
