/** Coinbase's venue module: endpoints, live-connection rules, handler, REST and simulator face in one place. */
import type { VenueModule } from "../module.ts";
import { COINBASE_DEFINITION } from "./definition.ts";
import { CoinbaseHandler } from "./handler.ts";
import { COINBASE_PROTOCOL } from "./protocol.ts";
import { COINBASE_REST } from "./rest.ts";
import { CoinbaseSim } from "./simulator.ts";

/** Coinbase, as the workstation knows it. */
export const COINBASE_MODULE: VenueModule = {
  venue: "coinbase",
  definition: COINBASE_DEFINITION,
  protocol: COINBASE_PROTOCOL,
  createHandler: () => new CoinbaseHandler(),
  rest: COINBASE_REST,
  simulator: (symbols, random) => new CoinbaseSim(symbols, random) as unknown as ReturnType<VenueModule["simulator"]>,
};
