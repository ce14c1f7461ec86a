/**
 * Coinbase Advanced Trade book-sync rules on top of {@link parseCoinbase}.
 *
 * `sequence_num` counts every message on a connection, so it is tracked per connection: a skipped
 * (or repeated) number emits `gap` with symbol null before the frame is handled, and every local
 * book becomes suspect — each is marked resyncing and a level2 resubscribe is requested; its
 * updates are dropped until the next `l2_data` snapshot rebuilds it. A frame carrying book data
 * that cannot be read (malformed) has the same effect, since an update was lost.
 */
import type { Level, VenueId } from "../../../common/market/events.ts";
import { OrderBook, type BookStatus } from "../book.ts";
import { SequenceTracker } from "../sequence.ts";
import { emptyStats, type VenueHandler, type VenueSink } from "../types.ts";
import { parseCoinbase, type CoinbaseBookEvent } from "./parse.ts";

interface CoinbaseBook {
  book: OrderBook;
  venueSymbol: string;
}

/** Coinbase Advanced Trade WebSocket handler. */
export class CoinbaseHandler implements VenueHandler {
  readonly venue: VenueId = "coinbase";
  readonly stats = emptyStats();
  private readonly books = new Map<string, CoinbaseBook>();
  private readonly sequence = new SequenceTracker();

  onFrame(text: string, receivedAt: number, sink: VenueSink): void {
    this.stats.frames++;
    const msg = parseCoinbase(text);
    if (msg.kind === "venue_error") {
      sink.notice({ exchange: "coinbase", kind: "venue_error", message: msg.message });
      return;
    }
    if (msg.seq !== undefined) this.checkSequence(msg.seq, sink);
    if (msg.kind === "error") {
      if (msg.reason === "malformed_frame") this.stats.malformed++;
      else this.stats.unknown++;
      sink.event({ type: "error", exchange: "coinbase", reason: msg.reason });
      if (msg.bookData) this.invalidateAll(sink);
      return;
    }
    for (const t of msg.trades) sink.event(t);
    for (const b of msg.books) this.onBook(b, sink);
    for (const q of msg.quotes) sink.quote(q);
  }

  onRest(): void {
    // Coinbase books come whole over the socket; nothing is ever requested.
  }

  onRestError(): void {
    // Never requests REST.
  }

  onConnect(): void {
    this.sequence.reset();
    for (const b of this.books.values()) b.book.status = "resyncing";
  }

  bookStatus(symbol: string): BookStatus | null {
    return this.books.get(symbol)?.book.status ?? null;
  }

  bookView(symbol: string, limit?: number): { bids: Level[]; asks: Level[] } | null {
    return this.books.get(symbol)?.book.view(limit) ?? null;
  }

  private checkSequence(seq: number, sink: VenueSink): void {
    const check = this.sequence.check(seq);
    if (check.ok) return;
    this.stats.gaps++;
    sink.event({ type: "gap", exchange: "coinbase", symbol: null, expected: check.expected, got: check.got });
    this.invalidateAll(sink);
  }

  private onBook(e: CoinbaseBookEvent, sink: VenueSink): void {
    let entry = this.books.get(e.symbol);
    if (e.snapshot) {
      if (!entry) this.books.set(e.symbol, (entry = { book: new OrderBook(), venueSymbol: e.venueSymbol }));
      const { book } = entry;
      book.clear();
      book.apply("bids", e.bids);
      book.apply("asks", e.asks);
      book.status = "synced";
      sink.event({ type: "book_snapshot", exchange: "coinbase", symbol: e.symbol, bids: book.bids.levels(), asks: book.asks.levels(), ts: e.ts });
      return;
    }
    if (entry?.book.status !== "synced") {
      sink.notice({ exchange: "coinbase", kind: "dropped", message: `l2 update for ${e.symbol} while not synced` });
      return;
    }
    entry.book.apply("bids", e.bids);
    entry.book.apply("asks", e.asks);
    sink.event({ type: "book_update", exchange: "coinbase", symbol: e.symbol, bids: e.bids, asks: e.asks, ts: e.ts });
  }

  /** Every synced book becomes resyncing, with one level2 resubscribe request each. */
  private invalidateAll(sink: VenueSink): void {
    for (const [symbol, entry] of this.books) {
      if (entry.book.status !== "synced") continue;
      entry.book.status = "resyncing";
      entry.book.clear();
      sink.request({ kind: "resubscribe", venue: "coinbase", channel: "level2", symbol, venueSymbol: entry.venueSymbol });
    }
  }
}
