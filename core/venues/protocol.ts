/**
 * What a live connection needs to know about a venue beyond parsing: the subscribe/unsubscribe
 * messages, how a `resubscribe` request becomes messages, silence and ping windows, and the
 * venue's client limits. Each venue's folder implements it (`<venue>/protocol.ts`).
 */
import type { VenueId } from "../../common/market/events.ts";
import type { VenueHandler, VenueRequest } from "./types.ts";

/** Client-side limits of one venue. */
export interface VenueLimits {
  /** Symbols one connection may carry (streams per symbol are accounted for). */
  maxSymbolsPerConnection: number;
  maxSendsPerSecond: number;
  maxConnectAttempts: number;
  connectWindowMs: number;
}

/** A venue's live-connection rules. */
export interface VenueProtocol {
  venue: VenueId;
  limits: VenueLimits;
  /** A connection silent this long is dead (the venue heartbeats or streams faster than this). */
  silenceMs: number;
  /** Idle time before a WebSocket ping. */
  pingMs: number;
  /** The venue's symbol for a unified one. */
  venueSymbol(symbol: string): string;
  /** Messages subscribing `symbols` to trades, book and (unless `ticker` is false) ticker. */
  subscribe(symbols: readonly string[], nextId: () => number, ticker?: boolean): string[];
  /** Messages undoing {@link VenueProtocol.subscribe}. */
  unsubscribe(symbols: readonly string[], nextId: () => number): string[];
  /** Messages answering a handler's resubscribe request. */
  resubscribe(request: Extract<VenueRequest, { kind: "resubscribe" }>, nextId: () => number): string[];
  createHandler(): VenueHandler;
}

/** Splits `items` into runs of at most `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
