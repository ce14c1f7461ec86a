/**
 * Normalized market-data events: the exact shape `workstation replay` prints as NDJSON, and what
 * the live feeds publish. Prices and sizes are decimal strings exactly as on the wire (trailing
 * zeros stripped, never an exponent); convert with `decimal.ts` to scaled integers. Times are
 * integer UTC milliseconds.
 */

/** Venues with a protocol adapter. */
export type VenueId = "kraken" | "coinbase" | "binance";

/** A price level: [price, size] as decimal strings. */
export type Level = [price: string, size: string];

/** A trade; `side` is the taker (aggressor) side. */
export interface TradeEvent {
  type: "trade";
  exchange: VenueId;
  symbol: string;
  price: string;
  size: string;
  side: "buy" | "sell";
  tradeId: string;
  ts: number;
}

/** A full book; levels best first. */
export interface BookSnapshotEvent {
  type: "book_snapshot";
  exchange: VenueId;
  symbol: string;
  bids: Level[];
  asks: Level[];
  ts: number;
}

/** Exactly the levels the venue sent in one message, in its order; size "0" deletes a level. */
export interface BookUpdateEvent {
  type: "book_update";
  exchange: VenueId;
  symbol: string;
  bids: Level[];
  asks: Level[];
  ts: number;
}

/** A skipped sequence number; `symbol` is null when the sequence is per connection. */
export interface GapEvent {
  type: "gap";
  exchange: VenueId;
  symbol: string | null;
  expected: number;
  got: number;
}

/** Kraken's book checksum did not match the local book. */
export interface ChecksumMismatchEvent {
  type: "checksum_mismatch";
  exchange: "kraken";
  symbol: string;
}

/** A frame that could not be parsed, or a well-formed message nobody handles. */
export interface ErrorEvent {
  type: "error";
  exchange: VenueId;
  reason: "malformed_frame" | "unknown_message";
}

/** Every normalized event. */
export type MarketEvent = TradeEvent | BookSnapshotEvent | BookUpdateEvent | GapEvent | ChecksumMismatchEvent | ErrorEvent;
