/** Test support for the alerts service: a live market whose trades the test pushes by hand. */
import type { AlertTrade } from "../../common/alerts/engine.ts";
import type { AlertFeed } from "./service.ts";

/** A live market in the test: trades pushed by hand to whoever subscribed. */
export class TestFeed implements AlertFeed {
  readonly subs = new Map<string, Set<(t: AlertTrade) => void>>();
  /** The venue clock; by default always the time of the last trade pushed. */
  clock: number | null = null;
  private last = 0;
  subscribe(venue: string, symbol: string, onTrade: (t: AlertTrade) => void): () => void {
    const k = `${venue}|${symbol}`;
    if (!this.subs.has(k)) this.subs.set(k, new Set());
    this.subs.get(k)!.add(onTrade);
    return () => this.subs.get(k)!.delete(onTrade);
  }
  venueNow(): number {
    return this.clock ?? this.last;
  }
  knownSymbol(_venue: string, symbol: string): boolean | undefined {
    return symbol === "BTC/USD" || symbol === "ETH/USD";
  }
  venueProblem(venue: string): string | null {
    return venue === "kraken" ? null : `unknown venue ${venue} (known: kraken)`;
  }
  push(ts: number, price: string): void {
    this.last = ts;
    for (const l of this.subs.get("kraken|BTC/USD") ?? []) l({ symbol: "BTC/USD", price, size: "1", ts });
  }
}

/** Resolves once the current frame's fires are committed and notified (the service commits at the end of a frame). */
export function frameEnd(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
