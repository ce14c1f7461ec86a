/**
 * Kraken's documented rate limits as pure counters with an injected clock ("Spot REST Rate Limits",
 * "Spot Trading Limits"). The REST call counter of a key starts at 0, adds 1 per private call and 2
 * per ledger/trade-history query (AddOrder/CancelOrder are not counted on it), may not exceed the
 * tier's maximum and decays continuously at the tier's rate. The trading counter is per pair: an
 * order adds 1, an amend 1 plus 3/2/1 while the order is under 5/10/15 s old, an edit 1 plus
 * 6/5/4/2/1 under 5/10/15/45/90 s, a cancel 8/6/5/4/2/1 under 5/10/15/45/90/300 s; it decays at the
 * tier's rate and the engine refuses at the tier's threshold. Kraken says its REST counter is
 * reduced "every couple of seconds": a continuous decay is the documented average.
 */

/** Kraken's verification tiers (they set both counters' limits and decay). */
export type KrakenTier = "starter" | "intermediate" | "pro";

/** The tiers' names, for parsing options. */
export const KRAKEN_TIERS: readonly KrakenTier[] = ["starter", "intermediate", "pro"];

/** REST call counter: maximum and decay per second, per tier. */
export const REST_LIMITS: Readonly<Record<KrakenTier, { max: number; decayPerS: number }>> = {
  starter: { max: 15, decayPerS: 0.33 },
  intermediate: { max: 20, decayPerS: 0.5 },
  pro: { max: 20, decayPerS: 1 },
};

/** Per-pair trading counter: threshold and decay per second, per tier. */
export const TRADING_LIMITS: Readonly<Record<KrakenTier, { max: number; decayPerS: number }>> = {
  starter: { max: 60, decayPerS: 1 },
  intermediate: { max: 125, decayPerS: 2.34 },
  pro: { max: 180, decayPerS: 3.75 },
};

/** Methods that add 2 to the REST counter (ledger and trade-history queries). */
const COST_TWO = new Set(["Ledgers", "QueryLedgers", "TradesHistory", "QueryTrades"]);
/** Methods counted on the per-pair trading counter instead. */
const NOT_COUNTED = new Set(["AddOrder", "CancelOrder"]);

/** What a private REST method adds to the REST call counter (0: counted on the trading counter). */
export function restCost(method: string): number {
  if (NOT_COUNTED.has(method)) return 0;
  return COST_TWO.has(method) ? 2 : 1;
}

/** Age steps (seconds, exclusive upper bounds) of the decaying part of a transaction's count. */
const AGE_STEPS = [5, 10, 15, 45, 90, 300];
const DECAYING: Readonly<Record<"amend" | "edit" | "cancel", readonly number[]>> = {
  amend: [3, 2, 1, 0, 0, 0],
  edit: [6, 5, 4, 2, 1, 0],
  cancel: [8, 6, 5, 4, 2, 1],
};

/** What a transaction on an order of age `ageMs` adds to its pair's trading counter. */
export function tradingCost(kind: "add" | "amend" | "edit" | "cancel", ageMs: number): number {
  if (kind === "add") return 1;
  const fixed = kind === "cancel" ? 0 : 1;
  const step = AGE_STEPS.findIndex((s) => ageMs < s * 1000);
  return fixed + (step < 0 ? 0 : (DECAYING[kind][step] ?? 0));
}

/** A counter that decays continuously and may not exceed `max`. */
export class DecayingCounter {
  private readonly max: number;
  private readonly decayPerS: number;
  private readonly now: () => number;
  private level = 0;
  private at: number;

  constructor(max: number, decayPerS: number, now: () => number) {
    this.max = max;
    this.decayPerS = decayPerS;
    this.now = now;
    this.at = now();
  }

  /** The counter's value now. */
  value(): number {
    const t = this.now();
    this.level = Math.max(0, this.level - ((t - this.at) / 1000) * this.decayPerS);
    this.at = t;
    return this.level;
  }

  /** How long (ms) until `cost` may be added without exceeding the maximum; 0 when it may now. */
  waitMs(cost: number): number {
    const over = this.value() + cost - this.max;
    return over <= 1e-9 ? 0 : Math.ceil((over / this.decayPerS) * 1000);
  }

  /** Adds `cost` (the counter may pass its maximum: a reservation for a call that waits its turn). */
  add(cost: number): void {
    this.level = this.value() + cost;
  }

  /**
   * Reserves `cost` when it may go within `maxWaitMs`: returns the wait (ms, the cost is counted as
   * of after it, so later calls queue behind), or null (nothing counted) when the wait is longer.
   */
  reserve(cost: number, maxWaitMs: number): number | null {
    const wait = this.waitMs(cost);
    if (wait > maxWaitMs) return null;
    this.add(cost);
    return wait;
  }
}

/** Kraken's per-pair trading counters of one key, with the age of each order it placed. */
export class KrakenTradingCounters {
  private readonly counters = new Map<string, DecayingCounter>();
  private readonly placedAt = new Map<string, number>();
  private readonly tier: KrakenTier;
  private readonly now: () => number;

  constructor(tier: KrakenTier, now: () => number) {
    this.tier = tier;
    this.now = now;
  }

  /** The counter of `pair`. */
  counter(pair: string): DecayingCounter {
    let c = this.counters.get(pair);
    if (!c) {
      const l = TRADING_LIMITS[this.tier];
      c = new DecayingCounter(l.max, l.decayPerS, this.now);
      this.counters.set(pair, c);
    }
    return c;
  }

  /** Reserves a new order on `pair` (see {@link DecayingCounter.reserve}); the order's age starts now. */
  reserveAdd(pair: string, orderId: string, maxWaitMs: number): number | null {
    const wait = this.counter(pair).reserve(1, maxWaitMs);
    if (wait === null) return null;
    const now = this.now();
    for (const [id, at] of this.placedAt) if (now - at >= 300_000) this.placedAt.delete(id);
    this.placedAt.set(orderId, now + wait);
    return wait;
  }

  /** Counts a cancel of `orderId` (penalty by its age; an order not placed here counts as young). */
  cancelled(pair: string, orderId: string): number {
    const placed = this.placedAt.get(orderId);
    const cost = tradingCost("cancel", placed === undefined ? 0 : this.now() - placed);
    this.counter(pair).add(cost);
    this.placedAt.delete(orderId);
    return cost;
  }
}
