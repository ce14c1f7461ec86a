/**
 * The venue handler contract, shared by replay and (next) the live feeds. A handler is fed what a
 * venue sent — text frames and the REST responses it asked for, each with its receive time — and
 * answers through a sink: normalized events, quotes (ticker data for the live quote stream),
 * requests for the connection owner (fetch a REST snapshot, resubscribe a book), and notices for
 * logs. Handlers never do I/O and never read the clock; nothing a venue sends throws out of them.
 */
import type { Level, MarketEvent, VenueId } from "../../common/market/events.ts";
import type { BookStatus } from "./book.ts";

/** Something the handler needs the connection owner to do. */
export type VenueRequest =
  /** GET `path` (path and query) on the venue's REST API and pass the body to `onRest`. */
  | { kind: "rest"; venue: VenueId; symbol: string; path: string }
  /** Unsubscribe and subscribe again to `channel` for `venueSymbol` (the venue's spelling). */
  | { kind: "resubscribe"; venue: VenueId; channel: string; symbol: string; venueSymbol: string };

/** Best bid/ask from a ticker or bookTicker message; not part of replay output. */
export interface QuoteUpdate {
  exchange: VenueId;
  symbol: string;
  bid: Level | null;
  ask: Level | null;
  last: string | null;
  ts: number;
}

/** A line for logs: a venue's error reply or a message the handler deliberately dropped. */
export interface VenueNotice {
  exchange: VenueId;
  kind: "venue_error" | "dropped";
  message: string;
}

/**
 * Where a handler's output goes. Output is synchronous: everything emitted during one
 * `onFrame`/`onRest` call was received at that call's `receivedAt` (the event's receive time).
 */
export interface VenueSink {
  event(event: MarketEvent): void;
  request(request: VenueRequest): void;
  quote(quote: QuoteUpdate): void;
  notice(notice: VenueNotice): void;
}

/** Counters a handler keeps for health reporting. */
export interface HandlerStats {
  frames: number;
  malformed: number;
  unknown: number;
  gaps: number;
  checksumMismatches: number;
}

/** A venue protocol handler: parse + book-sync rules. */
export interface VenueHandler {
  readonly venue: VenueId;
  readonly stats: HandlerStats;
  /** One text frame received at `receivedAt` (UTC ms). */
  onFrame(text: string, receivedAt: number, sink: VenueSink): void;
  /** The response body to an earlier `rest` request, received at `receivedAt`. */
  onRest(request: Extract<VenueRequest, { kind: "rest" }>, body: string, receivedAt: number, sink: VenueSink): void;
  /** An earlier `rest` request failed (network, HTTP error): the handler may ask again. */
  onRestError(request: Extract<VenueRequest, { kind: "rest" }>, sink: VenueSink): void;
  /** A new connection: per-connection state is reset and every book must be rebuilt. */
  onConnect(): void;
  /** "synced", "resyncing", or null when the handler has no book for `symbol`. */
  bookStatus(symbol: string): BookStatus | null;
  /** The best `limit` levels of a synced book; null while it is resyncing or unknown. */
  bookView(symbol: string, limit?: number): { bids: Level[]; asks: Level[] } | null;
}

/** Fresh zeroed stats. */
export function emptyStats(): HandlerStats {
  return { frames: 0, malformed: 0, unknown: 0, gaps: 0, checksumMismatches: 0 };
}

/** A sink that collects everything, for tests and replay. */
export class CollectingSink implements VenueSink {
  readonly events: MarketEvent[] = [];
  readonly requests: VenueRequest[] = [];
  readonly quotes: QuoteUpdate[] = [];
  readonly notices: VenueNotice[] = [];
  event(event: MarketEvent): void {
    this.events.push(event);
  }
  request(request: VenueRequest): void {
    this.requests.push(request);
  }
  quote(quote: QuoteUpdate): void {
    this.quotes.push(quote);
  }
  notice(notice: VenueNotice): void {
    this.notices.push(notice);
  }
}
