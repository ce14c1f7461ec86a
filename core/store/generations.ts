/**
 * Data generations of the market store: a counter per (venue, symbol), one per symbol (any venue)
 * and one for the whole database, each bumped by every write path AFTER its commit (recorder
 * flush, import, Parquet registration, retention). A cached result tagged with the generation read
 * BEFORE its query is valid only while the generation is unchanged: a write that commits before
 * the query bumps it afterwards (the tag then mismatches), one that commits after the query also
 * bumps it afterwards, so a stale result is never served. A bump is never wrong, only a cache miss.
 *
 * A bump may say the earliest time (UTC ms) its write touched (the recorder's appends do): a
 * cached series then only needs its rows from that time on again ({@link DataGenerations.changedSince}).
 * A bump without a time, or one older than the kept history, means "anything may have changed".
 */

/** Bumps remembered per key for {@link DataGenerations.changedSince}. */
const HISTORY = 64;

/** One key's counter and the earliest touched time of its recent bumps. */
interface Counter {
  value: number;
  /** `touched[i]` is the earliest time of bump number `value - touched.length + 1 + i` (null: unknown). */
  touched: (number | null)[];
}

/** Generation counters of one open market database (shared by all its connections). */
export class DataGenerations {
  private epoch = 0;
  private readonly counters = new Map<string, Counter>();

  /** Marks a symbol's data (on one venue) as changed, from time `from` on when given. */
  bump(venue: string, symbol: string, from?: number): void {
    for (const key of [pairKey(venue, symbol), symbolKey(symbol)]) {
      const c = this.counters.get(key) ?? { value: 0, touched: [] };
      c.value++;
      c.touched.push(from ?? null);
      if (c.touched.length > HISTORY) c.touched.shift();
      this.counters.set(key, c);
    }
  }

  /** Marks the symbols of a batch of appended market events as changed, each from its earliest event time. */
  bumpEvents(events: readonly { exchange: string; symbol: string; ts: number }[]): void {
    const earliest = new Map<string, { venue: string; symbol: string; from: number }>();
    for (const e of events) {
      const key = pairKey(e.exchange, e.symbol);
      const seen = earliest.get(key);
      if (!seen) earliest.set(key, { venue: e.exchange, symbol: e.symbol, from: e.ts });
      else if (e.ts < seen.from) seen.from = e.ts;
    }
    for (const { venue, symbol, from } of earliest.values()) this.bump(venue, symbol, from);
  }

  /** Marks all data as changed (a write whose symbols are not known one by one). */
  bumpAll(): void {
    this.epoch++;
  }

  /**
   * The current generation of a symbol's data on `venue`, or on any venue when `venue` is
   * undefined (a venue-less lookup must also notice the symbol appearing on another venue).
   */
  of(symbol: string, venue?: string): string {
    return `${this.epoch}:${this.counters.get(keyOf(symbol, venue))?.value ?? 0}`;
  }

  /**
   * The earliest time any write touched since `generation` (a value {@link of} returned for the
   * same symbol and venue): +Infinity when nothing changed, null when unknown (a bump without a
   * time, everything changed, or history no longer kept).
   */
  changedSince(generation: string, symbol: string, venue?: string): number | null {
    const [epoch, value] = generation.split(":").map(Number) as [number, number];
    if (epoch !== this.epoch) return null;
    const c = this.counters.get(keyOf(symbol, venue));
    const now = c?.value ?? 0;
    if (now === value) return Number.POSITIVE_INFINITY;
    if (!c || value > now || now - value > c.touched.length) return null;
    let from = Number.POSITIVE_INFINITY;
    for (const t of c.touched.slice(c.touched.length - (now - value))) {
      if (t === null) return null;
      from = Math.min(from, t);
    }
    return from;
  }
}

function keyOf(symbol: string, venue: string | undefined): string {
  return venue === undefined ? symbolKey(symbol) : pairKey(venue, symbol);
}

function pairKey(venue: string, symbol: string): string {
  return `${venue}\u0000${symbol}`;
}

function symbolKey(symbol: string): string {
  return `\u0000${symbol}`;
}
