/**
 * Opening a stored series on the chart at a timeframe that has bars (`stored-timeframe.ts`), and
 * the chart's knowledge of which timeframes hold data for the open series.
 */
import { create } from "zustand";
import { api } from "../stores/connection.ts";
import { useChart } from "../stores/chart.ts";
import { storedBarMs, timeframeWithBars } from "./stored-timeframe.ts";
import type { InstrumentRef } from "./types.ts";

/** Reads where `instrument`'s data lives; null when the store cannot say. */
export async function loadStoredBarMs(instrument: InstrumentRef): Promise<number | null> {
  try {
    return storedBarMs(await api.call("store.symbols", { query: instrument.symbol }), instrument);
  } catch {
    return null;
  }
}

/** Opens a stored series on the chart (at a timeframe with bars, see {@link followStoredBars}). */
export function openStored(instrument: InstrumentRef): void {
  useChart.getState().open(instrument);
}

/**
 * The stored bar length of the chart's series when it is longer than a minute (imported hourly or
 * daily bars): finer timeframes have no data. Null for everything else (trades, live feeds' minute
 * history), where every timeframe can be shown.
 */
export const useStoredBars = create<{ key: string | null; storedMs: number | null }>(() => ({ key: null, storedMs: null }));

/**
 * Follows the chart's series: reads its stored bar length, and when the chart's timeframe has no
 * bars for it moves to the nearest timeframe that has. Returns the unsubscriber.
 */
export function followStoredBars(): () => void {
  const check = (instrument: InstrumentRef | null): void => {
    const key = instrument ? `${instrument.venue}:${instrument.symbol}` : null;
    useStoredBars.setState({ key, storedMs: null });
    if (!instrument) return;
    void loadStoredBarMs(instrument).then((ms) => {
      if (useStoredBars.getState().key !== key) return;
      const storedMs = ms !== null && ms > 60_000 ? ms : null;
      useStoredBars.setState({ storedMs });
      const chart = useChart.getState();
      const tf = timeframeWithBars(chart.timeframe, storedMs);
      if (tf !== chart.timeframe) chart.setTimeframe(tf);
    });
  };
  check(useChart.getState().instrument);
  return useChart.subscribe((s, prev) => {
    if (s.instrument !== prev.instrument) check(s.instrument);
  });
}
