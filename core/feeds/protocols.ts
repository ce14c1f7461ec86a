/**
 * What a live connection needs to know about each venue beyond parsing (which is the protocol
 * layer's job in `core/venues`): the subscribe/unsubscribe messages, how a `resubscribe` request
 * becomes messages, the WebSocket URL, silence and ping windows, and the venue's client limits.
 *
 * Limits, from each venue's public documentation (conservative where the venue publishes none):
 * - Binance spot: 5 incoming messages per second per connection, 1024 streams per connection,
 *   300 connection attempts per 5 minutes per IP; the server pings every 20 s.
 * - Coinbase Advanced Trade: 8 unauthenticated messages and connections per second per IP, one
 *   channel per subscribe message, a subscribe within 5 s of connecting; `heartbeats` every 1 s.
 * - Kraken v2: a dynamic per-connection message budget ("Exceeded msg rate"); we send at most 10
 *   per second; `heartbeat` every 1 s while subscribed.
 */
import type { VenueId } from "../../common/market/events.ts";
import { VENUE_MODULES } from "../venues/modules.ts";
import type { VenueProtocol } from "../venues/protocol.ts";

export type { VenueLimits, VenueProtocol } from "../venues/protocol.ts";
export { KRAKEN_DEPTH } from "../venues/kraken/protocol.ts";

/** The rules of each venue. */
export const PROTOCOLS: Readonly<Record<VenueId, VenueProtocol>> = {
  kraken: VENUE_MODULES.kraken.protocol,
  coinbase: VENUE_MODULES.coinbase.protocol,
  binance: VENUE_MODULES.binance.protocol,
};
