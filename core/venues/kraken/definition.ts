/** Kraken's built-in public endpoints (spot WebSocket v2 and REST) and its server-time reader. */
import type { VenueDefinition } from "../definitions.ts";
import { timeJson, timeNumber } from "../server-time.ts";

/** Kraken spot: WebSocket v2 and the public REST API; `/0/public/Time` answers `{ result: { unixtime } }`. */
export const KRAKEN_DEFINITION: VenueDefinition = {
  venue: "kraken",
  main: { name: "Kraken", ws: "wss://ws.kraken.com/v2", rest: "https://api.kraken.com" },
  variants: {},
  restrictedHint: null,
  timePath: "/0/public/Time",
  parseServerTime: (body) => {
    const root = timeJson(body, "kraken");
    const result = root.result as Record<string, unknown> | undefined;
    // Whole seconds: the middle of the second is the best estimate (±0.5 s).
    return timeNumber(result?.unixtime, "kraken time.result.unixtime") * 1000 + 500;
  },
};
