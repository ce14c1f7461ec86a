/** Kraken v2's live-connection rules: book (depth 10), trade and ticker channels, ≤ 10 messages/s. */
import { KrakenHandler } from "./handler.ts";
import type { VenueProtocol } from "../protocol.ts";

/** Kraken book depth we subscribe to. */
export const KRAKEN_DEPTH = 10;

/** Kraken's protocol rules. */
export const KRAKEN_PROTOCOL: VenueProtocol = {
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
