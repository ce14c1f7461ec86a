/**
 * A price-level order book shared by every venue. Each side is a sorted array of canonical decimal
 * prices (best first) with parallel sizes and an optional per-level tag (Kraken keeps its checksum
 * digits there). Lookup is a binary search with exact decimal-string ordering, so no price is ever
 * converted to float; inserting and deleting splice the arrays, which is cheap at venue depths.
 */
import type { Level } from "../../common/market/events.ts";
import { compareMagnitude } from "../../common/market/decimal.ts";

/** One side of a book. */
export class BookSide {
  readonly prices: string[] = [];
  readonly sizes: string[] = [];
  readonly tags: string[] = [];
  /** A number per level derived from its tag (Kraken: the tag's CRC-32 contribution), parallel to tags. */
  readonly marks: number[] = [];
  /** +1 for asks (ascending), -1 for bids (descending). */
  private readonly direction: number;

  constructor(side: "bids" | "asks") {
    this.direction = side === "asks" ? 1 : -1;
  }

  /** Number of levels. */
  get length(): number {
    return this.prices.length;
  }

  /** Index of `price`, or -(insertion point) - 1 when absent. */
  private find(price: string): number {
    let lo = 0;
    let hi = this.prices.length - 1;
    const dir = this.direction;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = compareMagnitude(this.prices[mid]!, price) * dir;
      if (cmp < 0) lo = mid + 1;
      else if (cmp > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  /** Sets the size at `price` (canonical, non-negative), with its tag and mark; size "0" deletes the level. */
  set(price: string, size: string, tag = "", mark = 0): void {
    const i = this.find(price);
    if (size === "0") {
      if (i >= 0) {
        this.prices.splice(i, 1);
        this.sizes.splice(i, 1);
        this.tags.splice(i, 1);
        this.marks.splice(i, 1);
      }
      return;
    }
    if (i >= 0) {
      this.sizes[i] = size;
      this.tags[i] = tag;
      this.marks[i] = mark;
      return;
    }
    const at = -i - 1;
    this.prices.splice(at, 0, price);
    this.sizes.splice(at, 0, size);
    this.tags.splice(at, 0, tag);
    this.marks.splice(at, 0, mark);
  }

  /** The size at `price`, or undefined. */
  sizeAt(price: string): string | undefined {
    const i = this.find(price);
    return i >= 0 ? this.sizes[i] : undefined;
  }

  /** Keeps only the best `depth` levels. */
  truncate(depth: number): void {
    if (this.prices.length <= depth) return;
    this.prices.length = depth;
    this.sizes.length = depth;
    this.tags.length = depth;
    this.marks.length = depth;
  }

  /** Removes every level. */
  clear(): void {
    this.prices.length = 0;
    this.sizes.length = 0;
    this.tags.length = 0;
    this.marks.length = 0;
  }

  /** The best `limit` levels as [price, size], best first. */
  levels(limit = Infinity): Level[] {
    const n = Math.min(limit, this.prices.length);
    const out: Level[] = new Array<Level>(n);
    for (let i = 0; i < n; i++) out[i] = [this.prices[i]!, this.sizes[i]!];
    return out;
  }
}

/** Whether a book may be published: `synced` books are known good; anything else is not served. */
export type BookStatus = "synced" | "resyncing";

/** Both sides of one instrument's book and whether it can be trusted. */
export class OrderBook {
  readonly bids = new BookSide("bids");
  readonly asks = new BookSide("asks");
  status: BookStatus = "resyncing";

  /** Empties both sides (the status is left to the caller). */
  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  /** Applies a list of levels to one side, in order. */
  apply(side: "bids" | "asks", levels: readonly Level[]): void {
    const s = side === "bids" ? this.bids : this.asks;
    for (const [price, size] of levels) s.set(price, size);
  }

  /** A copy of the best `limit` levels per side, or null while the book is not synced. */
  view(limit = Infinity): { bids: Level[]; asks: Level[] } | null {
    if (this.status !== "synced") return null;
    return { bids: this.bids.levels(limit), asks: this.asks.levels(limit) };
  }
}
