/**
 * A per-venue, per-key request budget. Binance reports what a key (and IP) used in response headers
 * (`X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S`, `X-MBX-ORDER-COUNT-1D`); the budget keeps the
 * latest figures and refuses to send when the next request would pass a limit. A 429 blocks every
 * request until its `Retry-After`; a 418 (the IP is banned) stops the budget for good — nothing is
 * sent again until a person restarts it.
 */

/** One limit: `used` of `limit` in the current window of `windowMs`. */
export interface BudgetCounter {
  limit: number;
  used: number;
  windowMs: number;
  /** When the current window ends (ms since epoch). */
  resetAt: number;
}

/** Why a request may not be sent now. */
export type BudgetRefusal = { kind: "wait"; untilMs: number; reason: string } | { kind: "stopped"; reason: string };

const WINDOW_MS: Record<string, number> = { S: 1000, M: 60_000, H: 3_600_000, D: 86_400_000 };

/** Window length of a Binance interval suffix such as `1M`, `10S`, `1D`. */
export function intervalMs(suffix: string): number | null {
  const m = /^(\d+)([SMHD])$/i.exec(suffix);
  return m ? Number(m[1]) * WINDOW_MS[m[2]!.toUpperCase()]! : null;
}

/** The request budget of one key on one venue. */
export class RateBudget {
  private readonly counters = new Map<string, BudgetCounter>();
  private blockedUntil = 0;
  private stopReason: string | null = null;

  /** Limits, as `{"X-MBX-USED-WEIGHT-1M": 6000, "X-MBX-ORDER-COUNT-10S": 100}` (header name → limit). */
  constructor(limits: Readonly<Record<string, number>>) {
    for (const [header, limit] of Object.entries(limits)) {
      const windowMs = intervalMs(header.split("-").at(-1) ?? "") ?? 60_000;
      this.counters.set(header.toLowerCase(), { limit, used: 0, windowMs, resetAt: 0 });
    }
  }

  /** Whether a request costing `cost` on `header` may go now; null when it may. */
  check(now: number, costs: Readonly<Record<string, number>> = {}): BudgetRefusal | null {
    if (this.stopReason !== null) return { kind: "stopped", reason: this.stopReason };
    if (now < this.blockedUntil) return { kind: "wait", untilMs: this.blockedUntil, reason: `rate limited until ${new Date(this.blockedUntil).toISOString()} (Retry-After)` };
    for (const [header, cost] of Object.entries(costs)) {
      const c = this.counters.get(header.toLowerCase());
      if (!c || now >= c.resetAt) continue;
      if (c.used + cost > c.limit) return { kind: "wait", untilMs: c.resetAt, reason: `${header} would reach ${c.used + cost} of ${c.limit}` };
    }
    return null;
  }

  /** Reads an answer's status and headers (names in any case). */
  observe(now: number, status: number, headers: Readonly<Record<string, string | undefined>>): void {
    for (const [name, raw] of Object.entries(headers)) {
      const c = this.counters.get(name.toLowerCase());
      const used = Number(raw);
      if (!c || raw === undefined || !Number.isFinite(used)) continue;
      c.used = used;
      c.resetAt = Math.floor(now / c.windowMs) * c.windowMs + c.windowMs;
    }
    if (status === 418) this.stopReason = "the venue banned this IP (HTTP 418); trading stopped until restarted";
    if (status === 429) {
      const retry = Number(Object.entries(headers).find(([k]) => k.toLowerCase() === "retry-after")?.[1] ?? "60");
      this.blockedUntil = Math.max(this.blockedUntil, now + (Number.isFinite(retry) ? retry : 60) * 1000);
    }
  }

  /** The latest counters, by lowercase header name. */
  snapshot(): Record<string, BudgetCounter> {
    return Object.fromEntries([...this.counters].map(([k, v]) => [k, { ...v }]));
  }

  /** True once a 418 stopped it. */
  get stopped(): boolean {
    return this.stopReason !== null;
  }
}
