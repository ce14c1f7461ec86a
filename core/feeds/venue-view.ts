/** A venue environment as `market.venues` and `workstation venues` show it: where it lives, on/off, state and health. */
import type { FeedStatus, VenueView } from "../../common/api/market.ts";
import type { VenueEndpoints } from "./feed.ts";
import type { ResolvedVenue } from "./venue-list.ts";

/** What the manager knows of one venue environment. */
export interface VenueViewInput {
  feed: string;
  /** Null for the simulated feed. */
  venue: ResolvedVenue | null;
  enabled: boolean;
  status: FeedStatus | null;
  /** A failure outside the connections (probe, clock). */
  lastError: string | null;
  clockOffsetMs: number | null;
  /** The simulator's loopback URLs once it runs. */
  simulatorUrls: VenueEndpoints | null;
}

/** Builds the view of one venue environment. */
export function venueView(i: VenueViewInput): VenueView {
  const where = i.venue
    ? { venue: i.venue.venue, variant: i.venue.variant, name: i.venue.name, ws: i.venue.ws, rest: i.venue.rest, source: i.venue.source }
    : { venue: "simulated" as const, variant: null, name: "Simulated", ws: i.simulatorUrls?.ws ?? null, rest: i.simulatorUrls?.rest ?? null, source: "built-in" as const };
  return {
    feed: i.feed,
    ...where,
    enabled: i.enabled,
    state: i.enabled ? (i.status?.state ?? "idle") : "disabled",
    lastMessageAgeMs: i.status?.lastMessageAgeMs ?? null,
    reconnects: i.status?.reconnects ?? 0,
    lastError: i.status?.lastError ?? i.lastError,
    clockOffsetMs: i.clockOffsetMs,
  };
}
