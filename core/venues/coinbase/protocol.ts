/** Coinbase Advanced Trade's live-connection rules: one channel per subscribe message, heartbeats every second. */
import { CoinbaseHandler } from "./handler.ts";
import type { VenueProtocol } from "../protocol.ts";

const coinbaseProduct = (s: string): string => s.replace("/", "-");

/** Coinbase's protocol rules. */
export const COINBASE_PROTOCOL: VenueProtocol = {
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
