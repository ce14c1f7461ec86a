/**
 * The server-time offset of a venue and the clock-skew refusal: the offset is measured as the
 * venue's time minus the midpoint of the request's round trip; signed requests carry local time +
 * offset. When the local clock is off by more than the venue's window allows (Binance: `recvWindow`)
 * trading is refused with a message saying by how much and what to do.
 */

/** A measured offset. */
export interface ClockOffset {
  offsetMs: number;
  roundTripMs: number;
}

/** Offset from one time request: sent at `sentAt`, answered at `receivedAt`, venue said `serverTime`. */
export function measureOffset(sentAt: number, serverTime: number, receivedAt: number): ClockOffset {
  const roundTripMs = Math.max(0, receivedAt - sentAt);
  return { offsetMs: Math.round(serverTime - (sentAt + roundTripMs / 2)), roundTripMs };
}

/** A one-line refusal when the skew is larger than `maxSkewMs`, else null. */
export function skewProblem(venue: string, offset: ClockOffset, maxSkewMs: number): string | null {
  if (Math.abs(offset.offsetMs) <= maxSkewMs) return null;
  const dir = offset.offsetMs > 0 ? "behind" : "ahead of";
  return `clock-skew: this computer's clock is ${Math.abs(offset.offsetMs)} ms ${dir} ${venue}'s (more than the ${maxSkewMs} ms the venue accepts); sync the system clock (NTP) and try again`;
}
