/**
 * Public REST endpoints of each venue — instruments (tick size, lot size, precisions, base/quote,
 * status) and one-minute klines — dispatched to the venue's module (`core/venues/<venue>/rest.ts`).
 * Parsers validate the shape, keep every price and size as an exact decimal string, and throw
 * {@link RestFormatError} with a clear message on anything unexpected. Candles come back oldest
 * first, `t` = open time.
 */
import type { Candle, Instrument } from "../../common/api/market.ts";
import type { VenueId } from "../../common/market/events.ts";
import { VENUE_MODULES } from "../venues/modules.ts";
import { fail } from "../venues/rest-parse.ts";

export { RestFormatError } from "../venues/rest-parse.ts";

/** The path (with query) of a venue's instrument list. */
export function instrumentsPath(venue: VenueId): string {
  return VENUE_MODULES[venue].rest.instrumentsPath;
}

/** Parses a venue's instrument list. */
export function parseInstruments(venue: VenueId, body: string): Instrument[] {
  return VENUE_MODULES[venue].rest.parseInstruments(body);
}

/** The path of one-minute klines for `venueSymbol` covering [from, to] (UTC ms). */
export function klinesPath(venue: VenueId, venueSymbol: string, from: number, to: number, limit: number): string {
  return VENUE_MODULES[venue].rest.klinesPath(venueSymbol, from, to, limit);
}

/** Parses klines, oldest first. */
export function parseKlines(venue: VenueId, body: string): Candle[] {
  const out = VENUE_MODULES[venue].rest.parseKlines(body);
  if (out.some((c) => !Number.isSafeInteger(c.t))) fail(`${venue}: candle time is not an integer`);
  return out.sort((a, b) => a.t - b.t);
}
