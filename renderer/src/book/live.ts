/**
 * The live book and trades of the active instrument. The live-market-data feed publishes a
 * coalesced top-N book and batched trades per symbol; until core offers those streams this
 * returns no-op subscriptions and the panel shows its waiting state.
 */
import type { InstrumentRef } from "../stores/chart.ts";
import type { BookView, TapeTrade } from "./model.ts";

/** Handlers of a book subscription. */
export interface BookHandlers {
  onBook(view: BookView): void;
  onTrades(trades: TapeTrade[]): void;
}

/** Subscribes to the book and trades of an instrument; returns the unsubscriber. */
export function subscribeBook(_instrument: InstrumentRef, _handlers: BookHandlers): () => void {
  return () => undefined;
}
