/**
 * Data generations of the market store: a counter per (venue, symbol), one per symbol (any venue)
 * and one for the whole database, each bumped by every write path AFTER its commit (recorder
 * flush, import, Parquet registration, retention). A cached result tagged with the generation read
 * BEFORE its query is valid only while the generation is unchanged: a write that commits before
 * the query bumps it afterwards (the tag then mismatches), one that commits after the query also
 * bumps it afterwards, so a stale result is never served. A bump is never wrong, only a cache miss.
 */

/** Generation counters of one open market database (shared by all its connections). */
export class DataGenerations {
  private epoch = 0;
  private readonly counters = new Map<string, number>();

  /** Marks a symbol's data (on one venue) as changed. */
  bump(venue: string, symbol: string): void {
    for (const key of [pairKey(venue, symbol), symbolKey(symbol)]) this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }

  /** Marks the symbols of a batch of market events as changed (one bump per run of the same symbol). */
  bumpEvents(events: readonly { exchange: string; symbol: string }[]): void {
    let prev: { exchange: string; symbol: string } | undefined;
    for (const e of events) {
      if (prev && e.exchange === prev.exchange && e.symbol === prev.symbol) continue;
      this.bump(e.exchange, e.symbol);
      prev = e;
    }
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
    const key = venue === undefined ? symbolKey(symbol) : pairKey(venue, symbol);
    return `${this.epoch}:${this.counters.get(key) ?? 0}`;
  }
}

function pairKey(venue: string, symbol: string): string {
  return `${venue}\u0000${symbol}`;
}

function symbolKey(symbol: string): string {
  return `\u0000${symbol}`;
}
