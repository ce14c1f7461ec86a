/**
 * Numeric ids for (feed, symbol) pairs, as binary trade records carry them, plus each instrument's
 * running trade sequence and preferred decimal scales. Ids are assigned on first use and never
 * reused within a core process; workers learn the mapping from {@link InstrumentRegistry.entries}.
 */

/** One registered instrument. */
export interface RegisteredInstrument {
  id: number;
  feed: string;
  symbol: string;
  priceScale: number;
  sizeScale: number;
  /** Sequence of the last trade published for it. */
  sequence: number;
}

/** Assigns instrument ids. */
export class InstrumentRegistry {
  private readonly byKey = new Map<string, RegisteredInstrument>();
  private readonly byId: RegisteredInstrument[] = [];

  /** The instrument of (feed, symbol), registered on first use with default scales of 8. */
  get(feed: string, symbol: string): RegisteredInstrument {
    const key = `${feed}\u0000${symbol}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { id: this.byId.length + 1, feed, symbol, priceScale: 8, sizeScale: 8, sequence: 0 };
      this.byKey.set(key, entry);
      this.byId.push(entry);
    }
    return entry;
  }

  /** Sets preferred scales from instrument metadata (tick and lot decimals). */
  setScales(feed: string, symbol: string, priceScale: number, sizeScale: number): void {
    const entry = this.get(feed, symbol);
    entry.priceScale = priceScale;
    entry.sizeScale = sizeScale;
  }

  /** The instrument with `id`, if any. */
  byNumber(id: number): RegisteredInstrument | undefined {
    return this.byId[id - 1];
  }

  /** Every instrument, by id. */
  entries(): { id: number; feed: string; symbol: string }[] {
    return this.byId.map(({ id, feed, symbol }) => ({ id, feed, symbol }));
  }
}
