/**
 * Reconnect delays: exponential backoff with "equal jitter". Attempt n (0-based) waits a random
 * time in [cap/2, cap] where cap = min(maxMs, baseMs × factor^n), so many clients that lost the
 * same venue at once do not reconnect in lockstep, and a client never hammers a venue that is down.
 */

/** Tuning of the reconnect delay. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  factor: number;
}

/** Defaults: 0.5 s, doubling, capped at 30 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, factor: 2 };

/** The delay before reconnect attempt `attempt` (0 = the first retry); `random` returns [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const cap = Math.min(options.maxMs, options.baseMs * options.factor ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}
