/**
 * Quotes of watched symbols: last price, change over 24 hours and a sparkline of the last day's
 * hourly closes, read from the store's candles and refreshed every minute (and on live ticks
 * once the live feed offers them). Kept per instrument key in a zustand store of its own.
 */
import { create } from "zustand";
import type { WatchItem } from "../../../common/api/ui.ts";
import { api } from "../stores/connection.ts";

/** What a watchlist row shows. */
export interface Quote {
  last: number;
  /** Fractional change over 24 h (null without a price 24 h ago). */
  change24h: number | null;
  /** Hourly closes of the last 24 h, oldest first. */
  spark: number[];
}

/** Quotes by "venue:symbol". */
export const useQuotes = create<Record<string, Quote | null>>(() => ({}));

const DAY_MS = 86_400_000;

/** Computes a quote from hourly bars (times UTC ms, oldest first). */
export function quoteFromBars(time: readonly number[], close: readonly number[]): Quote | null {
  const n = close.length;
  if (n === 0) return null;
  const last = close[n - 1]!;
  const since = time[n - 1]! - DAY_MS;
  let base: number | null = null;
  for (let i = n - 1; i >= 0; i--) {
    if (time[i]! <= since) {
      base = close[i]!;
      break;
    }
  }
  return { last, change24h: base ? (last - base) / base : null, spark: close.slice(Math.max(0, n - 25)) };
}

/** Loads the quote of one item (null when the store has no data for it). */
export async function loadQuote(item: WatchItem): Promise<void> {
  const key = `${item.venue}:${item.symbol}`;
  try {
    const page = await api.call("store.candles", { symbol: item.symbol, venue: item.venue, timeframe: "1h", limit: 26 });
    useQuotes.setState({ [key]: quoteFromBars(page.time, page.close) });
  } catch {
    useQuotes.setState({ [key]: null });
  }
}
