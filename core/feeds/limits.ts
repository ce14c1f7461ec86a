/**
 * Venue rate limits on the client side: a sliding window — at most `max` events in any `windowMs`
 * — used for messages sent on one connection (Binance closes a connection that sends more than 5
 * per second; a token bucket would allow twice its rate across a window boundary) and for
 * connection attempts (Binance allows 300 per 5 minutes per IP). It answers "how long to wait"
 * rather than sleeping, so the owner schedules the work on its clock.
 */

/** At most `max` events (sends, connection attempts) in any `windowMs`. */
export class AttemptWindow {
  private readonly stamps: number[] = [];
  private readonly max: number;
  private readonly windowMs: number;

  constructor(max: number, windowMs: number) {
    this.max = max;
    this.windowMs = windowMs;
  }

  /** Records an event and returns 0, or returns the ms to wait before one is allowed. */
  take(now: number): number {
    while (this.stamps.length > 0 && now - this.stamps[0]! >= this.windowMs) this.stamps.shift();
    if (this.stamps.length >= this.max) return this.stamps[0]! + this.windowMs - now;
    this.stamps.push(now);
    return 0;
  }
}
