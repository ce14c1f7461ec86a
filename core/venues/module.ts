/**
 * One venue's pieces behind one interface: its built-in endpoints, live-connection rules, protocol
 * handler, public REST and simulator face. Each venue's folder exports one `VenueModule`
 * (`<venue>/index.ts`) and `modules.ts` lists them in a `Record<VenueId, …>`, so a venue left out
 * does not compile. docs/venues.md has the add-a-venue checklist.
 */
import type { VenueId } from "../../common/market/events.ts";
import type { SimConnection, SimVenue } from "../simulator/venue.ts";
import type { VenueDefinition } from "./definitions.ts";
import type { VenueProtocol } from "./protocol.ts";
import type { VenueRest } from "./rest-api.ts";
import type { VenueHandler } from "./types.ts";

/** Everything the workstation knows about one venue. */
export interface VenueModule {
  venue: VenueId;
  definition: VenueDefinition;
  protocol: VenueProtocol;
  /** A fresh protocol handler with default options (replay, record, tests). */
  createHandler(): VenueHandler;
  rest: VenueRest;
  /** The venue's face in the loopback simulator, over `symbols`. */
  simulator(symbols: readonly string[], random: () => number): SimVenue<{ conn: SimConnection }>;
}
