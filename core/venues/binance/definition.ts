/** Binance's built-in public endpoints (spot, Binance.US, market-data-only hosts) and its server-time reader. */
import type { VenueDefinition } from "../definitions.ts";
import { timeJson, timeNumber } from "../server-time.ts";

/**
 * Binance spot: the combined-stream WebSocket (`/stream`, subscriptions sent as `SUBSCRIBE`) and
 * the REST API; `/api/v3/time` answers `{ serverTime }` (ms). Where binance.com is not available a
 * trader picks Binance.US ("us") or the market-data-only hosts ("data").
 */
export const BINANCE_DEFINITION: VenueDefinition = {
  venue: "binance",
  main: { name: "Binance", ws: "wss://stream.binance.com:9443/stream", rest: "https://api.binance.com" },
  variants: {
    us: { name: "Binance.US", ws: "wss://stream.binance.us:9443/stream", rest: "https://api.binance.us" },
    data: { name: "Binance market data", ws: "wss://data-stream.binance.vision/stream", rest: "https://data-api.binance.vision" },
  },
  restrictedHint: "try Binance.US",
  timePath: "/api/v3/time",
  parseServerTime: (body) => timeNumber(timeJson(body, "binance").serverTime, "binance time.serverTime"),
};
