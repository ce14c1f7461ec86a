/**
 * Stored series open on a timeframe that has bars: imported daily bars cannot be shown as 1m
 * candles, so a series whose stored bars are longer than the chart's timeframe opens on the
 * shortest timeframe built from them (its own, or the nearest coarser one). Which timeframes hold
 * data is what the timeframe switcher marks (`usableTimeframes`).
 */
import { TIMEFRAMES, type Timeframe } from "../../../common/market/bars.ts";
import type { SymbolInfo } from "../../../common/api/store.ts";
import { buildsFrom } from "../../../common/market/timeframes.ts";
import type { InstrumentRef } from "./types.ts";

const TIMEFRAME_LIST = Object.keys(TIMEFRAMES) as Timeframe[];

/** The timeframes candles can be built at from bars `storedMs` long (all of them for trades: null). */
export function usableTimeframes(storedMs: number | null): Timeframe[] {
  if (storedMs === null) return TIMEFRAME_LIST;
  return TIMEFRAME_LIST.filter((tf) => buildsFrom(tf, storedMs));
}

/** `requested` when it has bars, else the shortest timeframe that has (or `requested` when none). */
export function timeframeWithBars(requested: Timeframe, storedMs: number | null): Timeframe {
  const usable = usableTimeframes(storedMs);
  return usable.includes(requested) ? requested : (usable[0] ?? requested);
}

/** The stored bar length of a series: null for trades (any timeframe) or when it is not stored. */
export function storedBarMs(infos: readonly SymbolInfo[], instrument: InstrumentRef): number | null {
  const own = infos.filter((i) => i.symbol === instrument.symbol && i.venue === instrument.venue);
  if (own.length === 0 || own.some((i) => i.kind === "trades")) return null;
  return own.find((i) => i.kind === "bars")?.tfMs ?? null;
}
