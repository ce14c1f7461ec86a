/**
 * Quotes of watched symbols: last price, change and volume over 24 hours and a sparkline of the last day's
 * hourly closes, read from the store's candles and refreshed every minute (and on live ticks
 * once the live feed offers them). Kept per instrument key in a zustand store of its own.
 */
import { create } from "zustand";
import type { WatchItem } from "../../../common/api/ui.ts";
import { quoteFromBars, refreshed, withLast, type Quote } from "./quote-math.ts";
import { isFeedSymbol } from "../chart/live.ts";
import { Latest, textPanelScheduler } from "../lib/frame.ts";
import { api } from "../stores/connection.ts";

/** Quotes by "venue:symbol". */
export const useQuotes = create<Record<string, Quote | null>>(() => ({}));

/** Loads the quote of one item (null when the store has no data for it). */
export async function loadQuote(item: WatchItem): Promise<void> {
  const key = `${item.venue}:${item.symbol}`;
  try {
    const page = await api.call("store.candles", { symbol: item.symbol, venue: item.venue, timeframe: "1h", limit: 26 });
    const q = quoteFromBars(page.time, page.close, page.volume);
    useQuotes.setState((all) => ({ [key]: refreshed(q, all[key]) }));
  } catch {
    useQuotes.setState((all) => ({ [key]: all[key] ?? null }));
  }
}

/** Streams last prices of the items with a live feed into the quotes (ten renders a second at most). */
export function subscribeTickers(items: readonly WatchItem[]): () => void {
  const pending = new Map<string, { last: number; text: string | null }>();
  const frame = new Latest<null>(() => {
    const patch: Record<string, Quote> = {};
    const all = useQuotes.getState();
    for (const [key, { last, text }] of pending) patch[key] = withLast(all[key], last, text);
    pending.clear();
    useQuotes.setState(patch);
  }, textPanelScheduler());
  const offs = items.filter((i) => isFeedSymbol(i.symbol)).map((item) =>
    api.subscribe("market.ticker", { feed: item.venue, symbol: item.symbol }, {
      onEvent: (t) => {
        const last = t.last !== null ? { last: Number(t.last), text: t.last } : t.bid && t.ask ? { last: (Number(t.bid[0]) + Number(t.ask[0])) / 2, text: null } : null;
        if (last === null) return;
        pending.set(`${item.venue}:${item.symbol}`, last);
        frame.push(null);
      },
    }),
  );
  return () => offs.forEach((off) => off());
}
