/**
 * The live book and trades of the active instrument: `market.book` (top 20, coalesced by core,
 * "resyncing" after a gap or checksum mismatch) and `market.trades` (batched per frame, only the
 * newest trades a tape can show: core leaves the rest out).
 */
import { isFeedSymbol } from "../chart/live.ts";
import { api } from "../stores/connection.ts";
import type { InstrumentRef } from "../stores/chart.ts";
import type { BookView, TapeTrade } from "./model.ts";

/** Handlers of a book subscription. */
export interface BookHandlers {
  onBook(view: BookView): void;
  onTrades(trades: TapeTrade[]): void;
  /** The instrument has no live feed (an imported symbol). */
  onUnavailable(reason: string): void;
}

/** Subscribes to the book and trades of an instrument (the newest `tapeRows` trades of each batch); returns the unsubscriber. */
export function subscribeBook(instrument: InstrumentRef, handlers: BookHandlers, tapeRows = 100): () => void {
  if (!isFeedSymbol(instrument.symbol)) {
    handlers.onUnavailable(`${instrument.symbol} has no live feed (stored data only).`);
    return () => undefined;
  }
  const params = { feed: instrument.venue, symbol: instrument.symbol };
  const end = (err?: Error): void => {
    if (err) handlers.onUnavailable(err.message);
  };
  const offBook = api.subscribe("market.book", { ...params, depth: 20 }, {
    onEvent: (b) => handlers.onBook({ bids: b.bids, asks: b.asks, state: b.status === "synced" ? "live" : "resyncing", ts: b.ts }),
    onEnd: end,
  });
  const offTrades = api.subscribe("market.trades", { ...params, newest: tapeRows }, {
    onEvent: (batch) => handlers.onTrades(batch.trades.map((t) => ({ price: t.price, size: t.size, side: t.side, ts: t.ts, id: `${t.tradeId}:${t.ts}` }))),
    onEnd: end,
  });
  return () => {
    offBook();
    offTrades();
  };
}
