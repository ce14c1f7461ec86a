/**
 * A venue's server-time offset: GET its time endpoint, offset = server time − the local time at the
 * request's midpoint (the venue's clock is read somewhere inside the round trip). Venues answer in
 * seconds (Kraken) or milliseconds (Binance, Coinbase), so an offset is good to ~1 s on Kraken.
 */
import type { VenueDefinition } from "../venues/definitions.ts";
import type { Clock } from "./clock.ts";
import type { RestFetch } from "./feed.ts";

/** Server time minus local time, in ms (positive: the local clock is behind). */
export async function measureClockOffset(definition: VenueDefinition, rest: string, fetch: RestFetch, clock: Clock, timeoutMs = 5000): Promise<number> {
  const sent = clock.now();
  const body = await fetch(rest + definition.timePath, AbortSignal.timeout(timeoutMs));
  const received = clock.now();
  return Math.round(definition.parseServerTime(body) - (sent + received) / 2);
}

/** The warning for an offset beyond `limitMs`, else null. */
export function clockWarning(name: string, offsetMs: number, limitMs: number): string | null {
  if (Math.abs(offsetMs) <= limitMs) return null;
  const seconds = (Math.abs(offsetMs) / 1000).toFixed(1);
  return `this computer's clock is ${seconds} s ${offsetMs > 0 ? "behind" : "ahead of"} ${name}'s — set the system time automatically (trading signatures will depend on it)`;
}
