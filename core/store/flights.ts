/**
 * Single flight for the bars hand-off cache: work on one cache key (validating, refreshing or
 * building an entry) runs one at a time, so a second request for a series being read waits for
 * that read and then finds the entry warm instead of reading the series again.
 *
 * A background preparation of a series (`prepare.ts`) first needs a query or two to learn which
 * key it builds; it claims the series synchronously when scheduled, and requests of that series
 * wait for the claim to end (the preparation has then taken its key's turn, or given up) before
 * taking their own turn. A request of another key of the series then goes its own way.
 */

/** Turns per cache key and claims per series of one market database. */
export class Flights {
  private readonly turns = new Map<string, Promise<void>>();
  private readonly claims = new Map<string, Promise<void>>();

  /**
   * Runs `work` once every earlier turn on `key` has ended (whether it succeeded or failed). The
   * turn is taken synchronously, when this is called.
   */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.turns.get(key);
    const result = before ? before.then(work) : (async () => work())();
    const turn = result.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(key, turn);
    void turn.then(() => {
      if (this.turns.get(key) === turn) this.turns.delete(key);
    });
    return result;
  }

  /** Claims `series` until the returned function is called (a later claim of it replaces this one). */
  claim(series: string): () => void {
    let end!: () => void;
    const claim = new Promise<void>((resolve) => (end = resolve));
    this.claims.set(series, claim);
    return () => {
      if (this.claims.get(series) === claim) this.claims.delete(series);
      end();
    };
  }

  /** Resolves when no claim holds `series` any more. */
  async claimed(series: string): Promise<void> {
    for (let claim = this.claims.get(series); claim; claim = this.claims.get(series)) await claim;
  }

  /** True while any turn runs or waits. */
  busy(): boolean {
    return this.turns.size > 0 || this.claims.size > 0;
  }
}

/** The claim name of a series (symbol on a venue). */
export function seriesKey(symbol: string, venue: string): string {
  return JSON.stringify([symbol, venue]);
}
