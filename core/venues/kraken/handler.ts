/**
 * Kraken v2 book-sync rules on top of {@link parseKrakenFrame} (fast path, else the exact parser).
 *
 * Every book message (snapshot and update) carries a CRC32 of the top 10 levels. A message's levels
 * are applied in order, the book is truncated to the subscribed depth (Kraken sends no deletes for
 * levels pushed out of range), then the checksum is computed over asks (best first) followed by bids
 * (best first), each level contributing its wire price and quantity digits with the dot and leading
 * zeros removed — from each level's mark (those digits' CRC-32 contribution and count, computed by
 * the parser), so no digit string is kept or rehashed. On a mismatch the handler emits `checksum_mismatch` instead of that message's
 * event, marks the book resyncing and asks for a resubscribe; updates are dropped until a snapshot
 * that verifies arrives. The subscribed depth comes from the subscribe ack (or the constructor),
 * defaulting to Kraken's default of 10 and raised to fit a larger snapshot.
 */
import type { Level, VenueId } from "../../../common/market/events.ts";
import { OrderBook, type BookSide, type BookStatus } from "../book.ts";
import { CRC32_START, crc32Final, crc32Shift, crc32Update } from "../crc32.ts";
import { emptyStats, type VenueHandler, type VenueSink } from "../types.ts";
import { parseKrakenFrame } from "./fast.ts";
import { MARK_SPAN, type KrakenBookData } from "./parse.ts";

const DEPTHS = [10, 25, 100, 500, 1000];
const CHECKSUM_LEVELS = 10;

interface KrakenBook {
  book: OrderBook;
  depth: number;
  venueSymbol: string;
}

/** Options for {@link KrakenHandler}. */
export interface KrakenHandlerOptions {
  /** Book depth subscribed to, when known before the ack arrives (default 10). */
  depth?: number;
}

function sideDigits(crc: number, side: BookSide): number {
  const n = Math.min(CHECKSUM_LEVELS, side.length);
  let c = crc;
  for (let i = 0; i < n; i++) c = crc32Update(c, side.tags[i]!);
  return c;
}

/**
 * The Kraken checksum of a book whose level tags hold the checksum digits (a book filled with tags,
 * as tests and benchmarks do; the handler's books carry marks instead: {@link markedChecksum}).
 */
export function krakenChecksum(book: OrderBook): number {
  return crc32Final(sideDigits(sideDigits(CRC32_START, book.asks), book.bids));
}

/**
 * {@link sideDigits} from each level's mark (`packMark` in parse.ts: its digits' CRC-32 contribution and
 * count): four lookups per level. `m | 0` keeps the mark's low 32 bits, the contribution.
 */
function sideMarks(crc: number, side: BookSide): number {
  const n = Math.min(CHECKSUM_LEVELS, side.length);
  let c = crc;
  for (let i = 0; i < n; i++) {
    const m = side.marks[i]!;
    c = crc32Shift(c, Math.floor(m / MARK_SPAN)) ^ (m | 0);
  }
  return c;
}

/**
 * {@link krakenChecksum} of a book filled by {@link applySide} (every level's mark set), without
 * running the CRC over every digit of the top levels on each update.
 */
export function markedChecksum(book: OrderBook): number {
  return crc32Final(sideMarks(sideMarks(CRC32_START, book.asks), book.bids));
}

function applySide(side: BookSide, levels: Level[], marks: readonly number[]): void {
  for (let i = 0; i < levels.length; i++) side.set(levels[i]![0], levels[i]![1], "", marks[i]!);
}

/** Kraken WebSocket v2 handler. */
export class KrakenHandler implements VenueHandler {
  readonly venue: VenueId = "kraken";
  readonly stats = emptyStats();
  private readonly books = new Map<string, KrakenBook>();
  private readonly depths = new Map<string, number>();
  private readonly defaultDepth: number;

  constructor(options: KrakenHandlerOptions = {}) {
    this.defaultDepth = options.depth ?? 10;
  }

  onFrame(text: string, receivedAt: number, sink: VenueSink): void {
    this.stats.frames++;
    const msg = parseKrakenFrame(text, receivedAt);
    switch (msg.kind) {
      case "trades":
        for (const t of msg.trades) sink.event(t);
        return;
      case "book":
        for (const data of msg.books) this.onBook(data, msg.snapshot, receivedAt, sink);
        return;
      case "quotes":
        for (const q of msg.quotes) sink.quote(q);
        return;
      case "subscribed":
        if (msg.channel === "book" && msg.symbol !== null && msg.depth !== null) this.depths.set(msg.symbol, msg.depth);
        return;
      case "control":
        return;
      case "venue_error":
        sink.notice({ exchange: "kraken", kind: "venue_error", message: msg.message });
        return;
      case "error":
        if (msg.reason === "malformed_frame") this.stats.malformed++;
        else this.stats.unknown++;
        sink.event({ type: "error", exchange: "kraken", reason: msg.reason });
        for (const symbol of msg.bookSymbols ?? []) this.invalidate(symbol, sink);
        return;
    }
  }

  onRest(): void {
    // Kraken's book needs no REST snapshot; nothing is ever requested.
  }

  onRestError(): void {
    // Never requests REST.
  }

  onConnect(): void {
    for (const b of this.books.values()) b.book.status = "resyncing";
  }

  bookStatus(symbol: string): BookStatus | null {
    return this.books.get(symbol)?.book.status ?? null;
  }

  bookView(symbol: string, limit?: number): { bids: Level[]; asks: Level[] } | null {
    return this.books.get(symbol)?.book.view(limit) ?? null;
  }

  private onBook(data: KrakenBookData, snapshot: boolean, receivedAt: number, sink: VenueSink): void {
    let entry = this.books.get(data.symbol);
    if (!snapshot && entry?.book.status !== "synced") {
      sink.notice({ exchange: "kraken", kind: "dropped", message: `book update for ${data.symbol} while not synced` });
      return;
    }
    if (!entry) {
      entry = { book: new OrderBook(), depth: this.defaultDepth, venueSymbol: data.venueSymbol };
      this.books.set(data.symbol, entry);
    }
    const { book } = entry;
    entry.depth = this.depths.get(data.symbol) ?? entry.depth;
    if (snapshot) {
      book.clear();
      const count = Math.max(data.bids.length, data.asks.length);
      if (count > entry.depth) entry.depth = DEPTHS.find((d) => d >= count) ?? count;
    }
    applySide(book.bids, data.bids, data.bidMarks);
    applySide(book.asks, data.asks, data.askMarks);
    book.bids.truncate(entry.depth);
    book.asks.truncate(entry.depth);
    if (markedChecksum(book) !== data.checksum) {
      this.stats.checksumMismatches++;
      sink.event({ type: "checksum_mismatch", exchange: "kraken", symbol: data.symbol });
      book.status = "synced";
      this.invalidate(data.symbol, sink);
      return;
    }
    book.status = "synced";
    const ts = data.ts ?? receivedAt;
    if (snapshot) sink.event({ type: "book_snapshot", exchange: "kraken", symbol: data.symbol, bids: book.bids.levels(), asks: book.asks.levels(), ts });
    else sink.event({ type: "book_update", exchange: "kraken", symbol: data.symbol, bids: data.bids, asks: data.asks, ts });
  }

  /** Marks a synced book resyncing and asks for a resubscribe (once per invalidation). */
  private invalidate(symbol: string, sink: VenueSink): void {
    const entry = this.books.get(symbol);
    if (!entry || entry.book.status !== "synced") return;
    entry.book.status = "resyncing";
    entry.book.clear();
    sink.request({ kind: "resubscribe", venue: "kraken", channel: "book", symbol, venueSymbol: entry.venueSymbol });
  }
}
