/**
 * A book kept from normalized snapshot and update events (size "0" deletes a level), read as
 * numeric levels best first when the paper broker needs it (at a bar's close, before orders go in).
 */
import type { BookSnapshotEvent, BookUpdateEvent, Level } from "../../common/market/events.ts";
import type { BookLevels } from "./paper-broker.ts";

/** One symbol's book. */
export class LocalBook {
  private readonly bids = new Map<string, number>();
  private readonly asks = new Map<string, number>();
  /** Venue time of the last event. */
  ts = 0;

  /** Applies a snapshot (replaces everything) or an update. */
  apply(e: BookSnapshotEvent | BookUpdateEvent): void {
    if (e.type === "book_snapshot") {
      this.bids.clear();
      this.asks.clear();
    }
    set(this.bids, e.bids);
    set(this.asks, e.asks);
    this.ts = e.ts;
  }

  /** Levels best first, as numbers. */
  levels(): { bids: BookLevels; asks: BookLevels } {
    return { bids: sorted(this.bids, -1), asks: sorted(this.asks, 1) };
  }
}

function set(side: Map<string, number>, levels: Level[]): void {
  for (const [price, size] of levels) {
    const n = Number(size);
    if (n === 0) side.delete(price);
    else side.set(price, n);
  }
}

function sorted(side: Map<string, number>, dir: 1 | -1): BookLevels {
  const out: [number, number][] = [];
  for (const [p, s] of side) out.push([Number(p), s]);
  out.sort((a, b) => dir * (a[0] - b[0]));
  return out;
}
