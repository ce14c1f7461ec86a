/** Every venue module, by id: the one table venue switches go through (a missing venue does not compile). */
import type { VenueId } from "../../common/market/events.ts";
import { BINANCE_MODULE } from "./binance/index.ts";
import { COINBASE_MODULE } from "./coinbase/index.ts";
import { KRAKEN_MODULE } from "./kraken/index.ts";
import type { VenueModule } from "./module.ts";

/** The module of each venue. */
export const VENUE_MODULES: Readonly<Record<VenueId, VenueModule>> = {
  kraken: KRAKEN_MODULE,
  coinbase: COINBASE_MODULE,
  binance: BINANCE_MODULE,
};
