/** Binance's venue module: endpoints, live-connection rules, handler, REST and simulator face in one place. */
import type { VenueModule } from "../module.ts";
import { BINANCE_DEFINITION } from "./definition.ts";
import { BinanceHandler } from "./handler.ts";
import { BINANCE_PROTOCOL } from "./protocol.ts";
import { BINANCE_REST } from "./rest.ts";
import { BinanceSim } from "./simulator.ts";

/** Binance, as the workstation knows it. */
export const BINANCE_MODULE: VenueModule = {
  venue: "binance",
  definition: BINANCE_DEFINITION,
  protocol: BINANCE_PROTOCOL,
  createHandler: () => new BinanceHandler(),
  rest: BINANCE_REST,
  simulator: (symbols, random) => new BinanceSim(symbols, random) as unknown as ReturnType<VenueModule["simulator"]>,
};
