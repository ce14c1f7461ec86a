/**
 * The order book as displayed: the top N levels per side with cumulative size and a depth bar,
 * the spread, and the book's state. Prices and sizes stay the exact decimal strings of the feed
 * for display; numbers are only used to size the depth bars and compute the spread.
 */

/** A level as the feed sends it: [price, size] decimal strings. */
export type WireLevel = readonly [price: string, size: string];

/** "live": the book is valid; "resyncing": a gap or checksum mismatch was seen and a snapshot is awaited. */
export type BookState = "waiting" | "live" | "resyncing";

/** A book as the panel receives it (levels best first). */
export interface BookView {
  bids: readonly WireLevel[];
  asks: readonly WireLevel[];
  state: BookState;
  ts: number;
}

/** One displayed row. */
export interface BookRow {
  price: string;
  size: string;
  /** Cumulative size from the best level, as a number. */
  cum: number;
  /** Cumulative size relative to the deeper of the two sides (0..1). */
  depth: number;
}

/** What the panel renders. */
export interface BookDisplay {
  /** Worst first, so the best ask sits just above the spread. */
  asks: BookRow[];
  /** Best first. */
  bids: BookRow[];
  spread: number | null;
  /** Spread relative to the mid price. */
  spreadFraction: number | null;
  state: BookState;
}

function side(levels: readonly WireLevel[], n: number): { rows: BookRow[]; total: number } {
  const rows: BookRow[] = [];
  let cum = 0;
  for (let i = 0; i < levels.length && rows.length < n; i++) {
    const [price, size] = levels[i]!;
    const s = Number(size);
    if (!(s > 0)) continue;
    cum += s;
    rows.push({ price, size, cum, depth: 0 });
  }
  return { rows, total: cum };
}

/** The display of the top `n` levels of each side. */
export function bookDisplay(view: BookView, n = 20): BookDisplay {
  const bids = side(view.bids, n);
  const asks = side(view.asks, n);
  const max = Math.max(bids.total, asks.total) || 1;
  for (const r of bids.rows) r.depth = r.cum / max;
  for (const r of asks.rows) r.depth = r.cum / max;
  const bestBid = bids.rows[0] ? Number(bids.rows[0].price) : null;
  const bestAsk = asks.rows[0] ? Number(asks.rows[0].price) : null;
  const spread = bestBid !== null && bestAsk !== null ? bestAsk - bestBid : null;
  const mid = bestBid !== null && bestAsk !== null ? (bestAsk + bestBid) / 2 : null;
  return {
    asks: asks.rows.reverse(),
    bids: bids.rows,
    spread,
    spreadFraction: spread !== null && mid ? spread / mid : null,
    state: view.state,
  };
}

/** A trade on the tape. */
export interface TapeTrade {
  price: string;
  size: string;
  side: "buy" | "sell";
  ts: number;
  id: string;
}

/** The tape after new trades arrive: newest first, at most `cap`. */
export function appendTape(tape: readonly TapeTrade[], incoming: readonly TapeTrade[], cap = 100): TapeTrade[] {
  const fresh = incoming.slice(-cap).reverse();
  return fresh.concat(tape.slice(0, Math.max(0, cap - fresh.length)));
}

/** How long "resyncing" stays on screen at least, so a trader can see that the book was rebuilt. */
export const RESYNC_SHOW_MS = 1500;

/**
 * Folds book updates into the displayed view: a resyncing update without levels keeps the last
 * levels (shown dimmed) and the resyncing state stays visible for at least {@link RESYNC_SHOW_MS}
 * after the last resync, even when the feed recovers within a frame.
 */
export class StickyResync {
  private until = 0;

  /** The view to show after `next` arrived at time `now` (ms). */
  apply(prev: BookView, next: BookView, now: number): BookView {
    if (next.state === "resyncing") {
      this.until = now + RESYNC_SHOW_MS;
      return next.bids.length === 0 && next.asks.length === 0 ? { ...prev, state: "resyncing", ts: next.ts } : next;
    }
    return now < this.until ? { ...next, state: "resyncing" } : next;
  }
}

/** Decimals a price string needs: its digits after the point, trailing zeros not counted ("100.50" → 1). */
export function priceStringDecimals(price: string): number {
  const dot = price.indexOf(".");
  if (dot < 0) return 0;
  let end = price.length;
  while (end > dot + 1 && price[end - 1] === "0") end--;
  return end - dot - 1;
}

/** The decimals of a series of prices: the most any of them needs, so every row lines up. */
export function seriesPriceDecimals(prices: Iterable<string>): number {
  let d = 0;
  for (const p of prices) d = Math.max(d, priceStringDecimals(p));
  return d;
}

/** `price` written with exactly `decimals` decimals: trailing zeros trimmed or padded, never a digit cut. */
export function padPrice(price: string, decimals: number): string {
  const own = priceStringDecimals(price);
  const dot = price.indexOf(".");
  const whole = dot < 0 ? price : price.slice(0, dot);
  const digits = dot < 0 ? "" : price.slice(dot + 1, dot + 1 + own);
  const places = Math.max(decimals, own);
  return places === 0 ? whole : `${whole}.${digits.padEnd(places, "0")}`;
}
