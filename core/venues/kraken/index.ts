/** Kraken's venue module: endpoints, live-connection rules, handler, REST and simulator face in one place. */
import type { VenueModule } from "../module.ts";
import { KRAKEN_DEFINITION } from "./definition.ts";
import { KrakenHandler } from "./handler.ts";
import { KRAKEN_PROTOCOL } from "./protocol.ts";
import { KRAKEN_REST } from "./rest.ts";
import { KrakenSim } from "./simulator.ts";

/** Kraken, as the workstation knows it. */
export const KRAKEN_MODULE: VenueModule = {
  venue: "kraken",
  definition: KRAKEN_DEFINITION,
  protocol: KRAKEN_PROTOCOL,
  createHandler: () => new KrakenHandler(),
  rest: KRAKEN_REST,
  simulator: (symbols, random) => new KrakenSim(symbols, random) as unknown as ReturnType<VenueModule["simulator"]>,
};
