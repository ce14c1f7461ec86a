/**
 * What a live connection needs to know about each venue beyond parsing (which is the protocol
 * layer's job in `core/venues`): the subscribe/unsubscribe messages, how a `resubscribe` request
 * becomes messages, the WebSocket URL, silence and ping windows, and the venue's client limits.
 *
 * Limits, from each venue's public documentation (conservative where the venue publishes none):
 * - Binance spot: 5 incoming messages per second per connection, 1024 streams per connection,
 *   300 connection attempts per 5 minutes per IP; the server pings every 20 s.
 * - Coinbase Advanced Trade: 8 unauthenticated messages and connections per second per IP, one
 *   channel per subscribe message, a subscribe within 5 s of connecting; `heartbeats` every 1 s.
 * - Kraken v2: a dynamic per-connection message budget ("Exceeded msg rate"); we send at most 10
 *   per second; `heartbeat` every 1 s while subscribed.
 */
import type { VenueId } from "../../common/market/events.ts";
import { BinanceHandler } from "../venues/binance/handler.ts";
import { CoinbaseHandler } from "../venues/coinbase/handler.ts";
import { KrakenHandler } from "../venues/kraken/handler.ts";
import type { VenueHandler, VenueRequest } from "../venues/types.ts";

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

/** Kraken book depth we subscribe to. */
export const KRAKEN_DEPTH = 10;

const kraken: VenueProtocol = {
  venue: "kraken",
  limits: { maxSymbolsPerConnection: 100, maxSendsPerSecond: 10, maxConnectAttempts: 30, connectWindowMs: 60_000 },
  silenceMs: 10_000,
  pingMs: 5_000,
  venueSymbol: (s) => s,
  subscribe: (symbols, nextId, ticker = true) => {
    const symbol = [...symbols];
    return [
      JSON.stringify({ method: "subscribe", params: { channel: "book", symbol, depth: KRAKEN_DEPTH, snapshot: true }, req_id: nextId() }),
      JSON.stringify({ method: "subscribe", params: { channel: "trade", symbol, snapshot: false }, req_id: nextId() }),
      ...(ticker ? [JSON.stringify({ method: "subscribe", params: { channel: "ticker", symbol }, req_id: nextId() })] : []),
    ];
  },
  unsubscribe: (symbols, nextId) =>
    ["book", "trade", "ticker"].map((channel) =>
      JSON.stringify({ method: "unsubscribe", params: { channel, symbol: [...symbols], ...(channel === "book" ? { depth: KRAKEN_DEPTH } : {}) }, req_id: nextId() }),
    ),
  resubscribe: (r, nextId) => [
    JSON.stringify({ method: "unsubscribe", params: { channel: r.channel, symbol: [r.venueSymbol], depth: KRAKEN_DEPTH }, req_id: nextId() }),
    JSON.stringify({ method: "subscribe", params: { channel: r.channel, symbol: [r.venueSymbol], depth: KRAKEN_DEPTH, snapshot: true }, req_id: nextId() }),
  ],
  createHandler: () => new KrakenHandler({ depth: KRAKEN_DEPTH }),
};

const coinbaseProduct = (s: string): string => s.replace("/", "-");

const coinbase: VenueProtocol = {
  venue: "coinbase",
  limits: { maxSymbolsPerConnection: 100, maxSendsPerSecond: 8, maxConnectAttempts: 8, connectWindowMs: 1000 },
  silenceMs: 10_000,
  pingMs: 5_000,
  venueSymbol: coinbaseProduct,
  subscribe: (symbols, _nextId, ticker = true) => {
    const product_ids = symbols.map(coinbaseProduct);
    const channels = ticker ? ["heartbeats", "level2", "market_trades", "ticker"] : ["heartbeats", "level2", "market_trades"];
    return channels.map((channel) => JSON.stringify({ type: "subscribe", product_ids, channel }));
  },
  unsubscribe: (symbols) => {
    const product_ids = symbols.map(coinbaseProduct);
    return ["level2", "market_trades", "ticker"].map((channel) => JSON.stringify({ type: "unsubscribe", product_ids, channel }));
  },
  resubscribe: (r) => [
    JSON.stringify({ type: "unsubscribe", product_ids: [r.venueSymbol], channel: r.channel }),
    JSON.stringify({ type: "subscribe", product_ids: [r.venueSymbol], channel: r.channel }),
  ],
  createHandler: () => new CoinbaseHandler(),
};

const binanceStreams = (symbols: readonly string[], ticker = true): string[] =>
  symbols.flatMap((s) => {
    const b = s.replace("/", "").toLowerCase();
    return ticker ? [`${b}@trade`, `${b}@depth@100ms`, `${b}@bookTicker`] : [`${b}@trade`, `${b}@depth@100ms`];
  });

const binance: VenueProtocol = {
  venue: "binance",
  limits: { maxSymbolsPerConnection: 300, maxSendsPerSecond: 4, maxConnectAttempts: 300, connectWindowMs: 300_000 },
  silenceMs: 30_000,
  pingMs: 10_000,
  venueSymbol: (s) => s.replace("/", "").toUpperCase(),
  subscribe: (symbols, nextId, ticker = true) => chunk(binanceStreams(symbols, ticker), 200).map((params) => JSON.stringify({ method: "SUBSCRIBE", params, id: nextId() })),
  unsubscribe: (symbols, nextId) => chunk(binanceStreams(symbols), 200).map((params) => JSON.stringify({ method: "UNSUBSCRIBE", params, id: nextId() })),
  resubscribe: (r, nextId) => {
    const params = binanceStreams([r.symbol]).filter((s) => s.includes(r.channel));
    return [JSON.stringify({ method: "UNSUBSCRIBE", params, id: nextId() }), JSON.stringify({ method: "SUBSCRIBE", params, id: nextId() })];
  },
  createHandler: () => new BinanceHandler(),
};

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The rules of each venue. */
export const PROTOCOLS: Readonly<Record<VenueId, VenueProtocol>> = { kraken, coinbase, binance };
