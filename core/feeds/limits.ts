/**
 * Venue rate limits on the client side: a token bucket for messages sent on one connection (e.g.
 * Binance accepts 5 incoming messages per second) and a sliding window for connection attempts
 * (e.g. Binance allows 300 connections per 5 minutes per IP). Both answer "how long to wait"
 * rather than sleeping, so the owner schedules the work on its clock.
 */

/** Messages per second on one connection, with a burst of the same size. */
export class SendBucket {
  private tokens: number;
  private stamp: number;
  private readonly perSecond: number;

  constructor(perSecond: number, now: number) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
    this.stamp = now;
  }

  /** Takes a token and returns 0, or returns the ms to wait until one is available. */
  take(now: number): number {
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.stamp) * this.perSecond) / 1000);
    this.stamp = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }
}

/** At most `max` connection attempts in any `windowMs`, shared by a venue's connections. */
export class AttemptWindow {
  private readonly stamps: number[] = [];
  private readonly max: number;
  private readonly windowMs: number;

  constructor(max: number, windowMs: number) {
    this.max = max;
    this.windowMs = windowMs;
  }

  /** Records an attempt and returns 0, or returns the ms to wait before one is allowed. */
  take(now: number): number {
    while (this.stamps.length > 0 && now - this.stamps[0]! >= this.windowMs) this.stamps.shift();
    if (this.stamps.length >= this.max) return this.stamps[0]! + this.windowMs - now;
    this.stamps.push(now);
    return 0;
  }
}
