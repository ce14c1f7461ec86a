/** Binance spot's live-connection rules: combined streams, `SUBSCRIBE` in batches of 200, ≤ 4 messages/s. */
import { BinanceHandler } from "./handler.ts";
import { chunk, type VenueProtocol } from "../protocol.ts";

const binanceStreams = (symbols: readonly string[], ticker = true): string[] =>
  symbols.flatMap((s) => {
    const b = s.replace("/", "").toLowerCase();
    return ticker ? [`${b}@trade`, `${b}@depth@100ms`, `${b}@bookTicker`] : [`${b}@trade`, `${b}@depth@100ms`];
  });

/** Binance's protocol rules. */
export const BINANCE_PROTOCOL: VenueProtocol = {
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
