/**
 * A price-level order book shared by every venue. Each side is a sorted array of canonical decimal
 * prices (best first) with parallel sizes and an optional per-level tag (Kraken keeps its checksum
 * digits there). Lookup is a binary search with exact decimal-string ordering, so no price is ever
 * converted to float; inserting and deleting move the levels after the position (by a loop for a
 * short tail, by `splice` for a long one), which is cheap at venue depths.
 */
import type { Level } from "../../common/market/events.ts";
import { compareMagnitude } from "../../common/market/decimal.ts";

/** Tails up to this many levels are moved by a loop on insert and delete; longer ones by `splice`. */
const SHORT_TAIL = 16;

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
      if (i >= 0) this.remove(i);
      return;
    }
    if (i >= 0) {
      this.sizes[i] = size;
      this.tags[i] = tag;
      this.marks[i] = mark;
      return;
    }
    this.insert(-i - 1, price, size, tag, mark);
  }

  /**
   * Inserts a level at `at`. A short tail (the usual top-of-book depths) is moved up one slot by a
   * loop over the four arrays after a push — no `splice` call, which costs a builtin call and a
   * result array per array; a long one (deep books) is left to `splice`'s native move.
   */
  private insert(at: number, price: string, size: string, tag: string, mark: number): void {
    const { prices, sizes, tags, marks } = this;
    const n = prices.length;
    if (n - at > SHORT_TAIL) {
      prices.splice(at, 0, price);
      sizes.splice(at, 0, size);
      tags.splice(at, 0, tag);
      marks.splice(at, 0, mark);
      return;
    }
    prices.push(price);
    sizes.push(size);
    tags.push(tag);
    marks.push(mark);
    for (let k = n; k > at; k--) {
      prices[k] = prices[k - 1]!;
      sizes[k] = sizes[k - 1]!;
      tags[k] = tags[k - 1]!;
      marks[k] = marks[k - 1]!;
    }
    prices[at] = price;
    sizes[at] = size;
    tags[at] = tag;
    marks[at] = mark;
  }

  /** Removes the level at `i`: a short tail moves down by a loop and the last slot is popped (see {@link insert}). */
  private remove(i: number): void {
    const { prices, sizes, tags, marks } = this;
    const last = prices.length - 1;
    if (last - i > SHORT_TAIL) {
      prices.splice(i, 1);
      sizes.splice(i, 1);
      tags.splice(i, 1);
      marks.splice(i, 1);
      return;
    }
    for (let k = i; k < last; k++) {
      prices[k] = prices[k + 1]!;
      sizes[k] = sizes[k + 1]!;
      tags[k] = tags[k + 1]!;
      marks[k] = marks[k + 1]!;
    }
    prices.pop();
    sizes.pop();
    tags.pop();
    marks.pop();
  }

  /** The size at `price`, or undefined. */
  sizeAt(price: string): string | undefined {
    const i = this.find(price);
    return i >= 0 ? this.sizes[i] : undefined;
  }

  /** Keeps only the best `depth` levels (a few extra levels, the usual case, are popped: cheaper than setting the length). */
  truncate(depth: number): void {
    const extra = this.prices.length - depth;
    if (extra <= 0) return;
    if (extra > SHORT_TAIL) {
      this.prices.length = depth;
      this.sizes.length = depth;
      this.tags.length = depth;
      this.marks.length = depth;
      return;
    }
    for (let k = 0; k < extra; k++) {
      this.prices.pop();
      this.sizes.pop();
      this.tags.pop();
      this.marks.pop();
    }
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
