/** The venue protocol layer's entry points: one handler per venue, created by id. */
import type { VenueId } from "../../common/market/events.ts";
import { VENUE_MODULES } from "./modules.ts";
import type { VenueHandler } from "./types.ts";

/** Venues with a handler, in the order the CLI lists them. */
export const VENUES: readonly VenueId[] = Object.keys(VENUE_MODULES) as VenueId[];

/** Whether `s` names a venue with a handler. */
export function isVenueId(s: string): s is VenueId {
  return (VENUES as readonly string[]).includes(s);
}

/** A fresh handler for `venue` with default options. */
export function createHandler(venue: VenueId): VenueHandler {
  return VENUE_MODULES[venue].createHandler();
}
