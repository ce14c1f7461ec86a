/** The public REST endpoints every venue module provides (instruments and one-minute klines). */
import type { Candle, Instrument } from "../../common/api/market.ts";

/** A venue's public REST paths and parsers; candles come back oldest first, `t` = open time. */
export interface VenueRest {
  /** The path (with query) of the instrument list. */
  instrumentsPath: string;
  parseInstruments(body: string): Instrument[];
  /** The path of one-minute klines for `venueSymbol` covering [from, to] (UTC ms). */
  klinesPath(venueSymbol: string, from: number, to: number, limit: number): string;
  parseKlines(body: string): Candle[];
  /** The REST spelling of a unified symbol when the instrument list is not at hand. */
  restSymbol(symbol: string): string;
}
