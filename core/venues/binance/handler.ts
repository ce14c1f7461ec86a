/**
 * Binance spot book sync, following Binance's "how to manage a local order book correctly":
 * 1. diff-depth events for a symbol are buffered and a REST depth snapshot is requested;
 * 2. if the snapshot's `lastUpdateId` is below the first buffered event's `U`, the snapshot is
 *    stale and is fetched again;
 * 3. buffered events with `u <= lastUpdateId` are dropped; the book is set from the snapshot
 *    (published as `book_snapshot` at the response's receive time, since it carries no time);
 * 4. each following event is applied in order: one with `u <= local id` is old and ignored; one whose
 *    `U` is above `local id + 1` skips updates — it emits `gap` (expected `local id + 1`, got `U`),
 *    is not applied, and sync restarts from step 1 with that event as the first buffered one;
 *    otherwise its levels are set (size 0 deletes) and the local id becomes its `u`. The first
 *    event after a snapshot therefore straddles it (`U <= lastUpdateId + 1 <= u`).
 * One trade stream per symbol: the first of `trade`/`aggTrade` seen for a symbol is used and the
 * other is dropped, so no trade is published twice.
 */
import type { Level, VenueId } from "../../../common/market/events.ts";
import { OrderBook, type BookStatus } from "../book.ts";
import { BinanceSymbols } from "../symbols.ts";
import { emptyStats, type VenueHandler, type VenueRequest, type VenueSink } from "../types.ts";
import { parseBinanceFrame } from "./fast.ts";
import { parseDepthSnapshot, type BinanceDiff } from "./parse.ts";

interface BinanceBook {
  book: OrderBook;
  venueSymbol: string;
  buffer: BinanceDiff[];
  requested: boolean;
  lastId: number;
}

/** Options for {@link BinanceHandler}. */
export interface BinanceHandlerOptions {
  /** Levels asked for in the REST snapshot (Binance allows up to 5000). */
  snapshotLimit?: number;
  /** Symbol mapping; pass one refined with exchangeInfo when available. */
  symbols?: BinanceSymbols;
}

type RestRequest = Extract<VenueRequest, { kind: "rest" }>;

/** Diffs kept while waiting for a snapshot; older ones are dropped (a snapshot older than the oldest kept is refetched). */
const MAX_BUFFER = 10_000;

/** Binance spot WebSocket handler. */
export class BinanceHandler implements VenueHandler {
  readonly venue: VenueId = "binance";
  readonly stats = emptyStats();
  private readonly books = new Map<string, BinanceBook>();
  private readonly tradeStreams = new Map<string, "trade" | "aggTrade">();
  private readonly symbols: BinanceSymbols;
  private readonly limit: number;

  constructor(options: BinanceHandlerOptions = {}) {
    this.symbols = options.symbols ?? new BinanceSymbols();
    this.limit = options.snapshotLimit ?? 5000;
  }

  onFrame(text: string, receivedAt: number, sink: VenueSink): void {
    this.stats.frames++;
    const msg = parseBinanceFrame(text, this.symbols, receivedAt);
    switch (msg.kind) {
      case "trade": {
        const stream = this.tradeStreams.get(msg.trade.symbol);
        if (stream === undefined) this.tradeStreams.set(msg.trade.symbol, msg.stream);
        if (stream === undefined || stream === msg.stream) sink.event(msg.trade);
        else sink.notice({ exchange: "binance", kind: "dropped", message: `${msg.stream} for ${msg.trade.symbol}: using ${stream}` });
        return;
      }
      case "depth":
        return this.onDiff(msg.diff, sink);
      case "quote":
        return sink.quote(msg.quote);
      case "control":
        return;
      case "venue_error":
        return sink.notice({ exchange: "binance", kind: "venue_error", message: msg.message });
      case "error":
        if (msg.reason === "malformed_frame") this.stats.malformed++;
        else this.stats.unknown++;
        return sink.event({ type: "error", exchange: "binance", reason: msg.reason });
    }
  }

  onRest(request: RestRequest, body: string, receivedAt: number, sink: VenueSink): void {
    const entry = this.books.get(request.symbol);
    if (!entry || entry.book.status === "synced") return;
    entry.requested = false;
    const snap = parseDepthSnapshot(body);
    if (snap === null) {
      this.stats.malformed++;
      sink.event({ type: "error", exchange: "binance", reason: "malformed_frame" });
      return this.requestSnapshot(request.symbol, entry, sink);
    }
    const first = entry.buffer[0];
    if (first !== undefined && snap.lastUpdateId < first.first) return this.requestSnapshot(request.symbol, entry, sink);
    const buffered = entry.buffer.filter((d) => d.last > snap.lastUpdateId);
    entry.buffer = [];
    const { book } = entry;
    book.clear();
    book.apply("bids", snap.bids);
    book.apply("asks", snap.asks);
    book.status = "synced";
    entry.lastId = snap.lastUpdateId;
    sink.event({ type: "book_snapshot", exchange: "binance", symbol: request.symbol, bids: book.bids.levels(), asks: book.asks.levels(), ts: receivedAt });
    for (const d of buffered) {
      if (book.status === "synced") this.applyDiff(entry, d, sink);
      else entry.buffer.push(d);
    }
  }

  onRestError(request: RestRequest, sink: VenueSink): void {
    const entry = this.books.get(request.symbol);
    if (!entry || entry.book.status === "synced") return;
    entry.requested = false;
    if (entry.buffer.length > 0) this.requestSnapshot(request.symbol, entry, sink);
  }

  onConnect(): void {
    for (const entry of this.books.values()) {
      entry.book.status = "resyncing";
      entry.book.clear();
      entry.buffer = [];
      entry.requested = false;
    }
  }

  bookStatus(symbol: string): BookStatus | null {
    return this.books.get(symbol)?.book.status ?? null;
  }

  bookView(symbol: string, limit?: number): { bids: Level[]; asks: Level[] } | null {
    return this.books.get(symbol)?.book.view(limit) ?? null;
  }

  private onDiff(d: BinanceDiff, sink: VenueSink): void {
    let entry = this.books.get(d.symbol);
    if (!entry) {
      entry = { book: new OrderBook(), venueSymbol: d.venueSymbol, buffer: [], requested: false, lastId: 0 };
      this.books.set(d.symbol, entry);
    }
    if (entry.book.status === "synced") return this.applyDiff(entry, d, sink);
    entry.buffer.push(d);
    if (entry.buffer.length > MAX_BUFFER) entry.buffer.shift();
    if (!entry.requested) this.requestSnapshot(d.symbol, entry, sink);
  }

  private applyDiff(entry: BinanceBook, d: BinanceDiff, sink: VenueSink): void {
    if (d.last <= entry.lastId) return;
    if (d.first > entry.lastId + 1) {
      this.stats.gaps++;
      sink.event({ type: "gap", exchange: "binance", symbol: d.symbol, expected: entry.lastId + 1, got: d.first });
      entry.book.status = "resyncing";
      entry.book.clear();
      entry.buffer = [d];
      if (!entry.requested) this.requestSnapshot(d.symbol, entry, sink);
      return;
    }
    entry.book.apply("bids", d.bids);
    entry.book.apply("asks", d.asks);
    entry.lastId = d.last;
    sink.event({ type: "book_update", exchange: "binance", symbol: d.symbol, bids: d.bids, asks: d.asks, ts: d.ts });
  }

  private requestSnapshot(symbol: string, entry: BinanceBook, sink: VenueSink): void {
    entry.requested = true;
    sink.request({ kind: "rest", venue: "binance", symbol, path: `/api/v3/depth?symbol=${entry.venueSymbol.toUpperCase()}&limit=${this.limit}` });
  }
}
