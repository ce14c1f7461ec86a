/**
 * The built-in venue definitions: one entry per venue and environment ("variant") with the public
 * market-data endpoints each venue documents, its display name and how to read its server time.
 * Each venue's own folder holds its entry (`<venue>/definition.ts`); this file assembles them into
 * one exhaustive table. `feeds.json` / `WORKSTATION_FEEDS` may override any URL (tests and the
 * simulator point them at loopback); nothing here connects to anything.
 */
import type { VenueId } from "../../common/market/events.ts";
import { BINANCE_DEFINITION } from "./binance/definition.ts";
import { COINBASE_DEFINITION } from "./coinbase/definition.ts";
import { KRAKEN_DEFINITION } from "./kraken/definition.ts";

/** An alternative set of endpoints of a venue (trading environments join with live trading). */
export type VenueVariant = "us" | "data";

/** Every variant any venue may have, for validation messages. */
export const VENUE_VARIANTS: readonly VenueVariant[] = ["us", "data"];

/** One environment of a venue: what the trader sees and where it lives. */
export interface VenueEnvironment {
  name: string;
  ws: string;
  rest: string;
}

/** Everything built in about one venue. */
export interface VenueDefinition {
  venue: VenueId;
  /** The main public endpoints. */
  main: VenueEnvironment;
  /** Other environments a trader may pick (e.g. Binance.US where binance.com is not available). */
  variants: Partial<Record<VenueVariant, VenueEnvironment>>;
  /** What to suggest when the venue refuses a connection with HTTP 451 (region restricted). */
  restrictedHint: string | null;
  /** REST path (relative to `rest`) answering the server time. */
  timePath: string;
  /** The server time (UTC ms) from the answer of {@link VenueDefinition.timePath}; throws when malformed. */
  parseServerTime(body: string): number;
}

/** The built-in definition of every venue (a missing venue does not compile). */
export const VENUE_DEFINITIONS: Readonly<Record<VenueId, VenueDefinition>> = {
  kraken: KRAKEN_DEFINITION,
  coinbase: COINBASE_DEFINITION,
  binance: BINANCE_DEFINITION,
};

/** One row of the flattened table: a venue in one environment. */
export interface BuiltInVenue extends VenueEnvironment {
  venue: VenueId;
  variant: VenueVariant | null;
  /** The feed id: the venue, or `venue-variant`. */
  id: string;
}

/** The feed id of a venue environment (`binance`, `binance-us`). */
export function feedIdOf(venue: VenueId, variant: VenueVariant | null): string {
  return variant === null ? venue : `${venue}-${variant}`;
}

/** Every built-in venue environment, main endpoints first within each venue. */
export function builtInVenues(): BuiltInVenue[] {
  return Object.values(VENUE_DEFINITIONS).flatMap((d) => [
    { venue: d.venue, variant: null, id: feedIdOf(d.venue, null), ...d.main },
    ...(Object.entries(d.variants) as [VenueVariant, VenueEnvironment][]).map(([variant, env]) => ({ venue: d.venue, variant, id: feedIdOf(d.venue, variant), ...env })),
  ]);
}
