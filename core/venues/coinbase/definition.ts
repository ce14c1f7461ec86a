/** Coinbase's built-in public endpoints (Advanced Trade market data) and its server-time reader. */
import type { VenueDefinition } from "../definitions.ts";
import { timeJson, timeNumber } from "../server-time.ts";

/**
 * Coinbase Advanced Trade: the market-data WebSocket and the REST API, whose public
 * `/api/v3/brokerage/market/...` endpoints need no key; `/api/v3/brokerage/time` answers
 * `{ iso, epochSeconds, epochMillis }` (strings).
 */
export const COINBASE_DEFINITION: VenueDefinition = {
  venue: "coinbase",
  main: { name: "Coinbase", ws: "wss://advanced-trade-ws.coinbase.com", rest: "https://api.coinbase.com" },
  variants: {},
  restrictedHint: null,
  timePath: "/api/v3/brokerage/time",
  parseServerTime: (body) => timeNumber(timeJson(body, "coinbase").epochMillis, "coinbase time.epochMillis"),
};
