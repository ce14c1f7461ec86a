/**
 * Coinbase executions as deltas of cumulative quantities. The user channel carries no trade ids,
 * only each order's `cumulative_quantity`, `avg_price` and `total_fees`; every path (the order
 * answer, a query, the stream) reports those totals, so each is turned into one fill covering what
 * is new since the last total seen for the order: size = the cumulative increase, price = the
 * change of `avg_price × cumulative_quantity` over it, fee = the change of `total_fees`. Its trade
 * id is `cum:<cumulative after>`, the same whichever path brings it first, so a repeated, stale or
 * out-of-order total makes no fill and the order layer stores each delta once. Where the order's
 * executions can be listed (`/orders/historical/fills`), {@link tradeFillsBeyond} gives the new ones
 * with their trade ids and liquidity instead, keeping the same account of what was reported.
 */
import type { VenueFill } from "../../../trading/live/adapter.ts";

interface Totals {
  filled: number;
  notional: number;
  fees: number;
}

/** What one report of an order says in total. */
export interface OrderTotals {
  orderId: string;
  filled: number;
  avgPrice: number;
  totalFees: number;
  time: number;
}

const EPS = 1e-12;

/** The last totals seen of each order, turning new totals into fills. */
export class CumulativeFills {
  private readonly seen = new Map<string, Totals>();

  /**
   * Seeds an order with what the order layer already knows (after a restart), unless more is known
   * here: `filled` at `avgPrice`; the fees before it are taken as the same share of `totalFees`.
   */
  seed(orderId: string, filled: number, avgPrice: number | null, totalFees: number, totalFilled: number): void {
    const known = this.seen.get(orderId);
    if (known && known.filled + EPS >= filled) return;
    const fees = totalFilled > EPS ? (totalFees * filled) / totalFilled : 0;
    this.seen.set(orderId, { filled, notional: filled * (avgPrice ?? 0), fees });
  }

  /** The quantity of the order reported so far (0 when none). */
  filledOf(orderId: string): number {
    return this.seen.get(orderId)?.filled ?? 0;
  }

  /** Whether totals of the order were seen (seeded or advanced). */
  knows(orderId: string): boolean {
    return this.seen.has(orderId);
  }

  /** The fill new in `t` (null when nothing is), with `feeAsset` and `maker` as given. */
  advance(t: OrderTotals, feeAsset: string, maker: boolean): VenueFill | null {
    const prev = this.seen.get(t.orderId) ?? { filled: 0, notional: 0, fees: 0 };
    if (t.filled <= prev.filled + EPS) return null;
    const next = { filled: t.filled, notional: t.filled * t.avgPrice, fees: Math.max(prev.fees, t.totalFees) };
    this.seen.set(t.orderId, next);
    const qty = round(next.filled - prev.filled);
    const price = round((next.notional - prev.notional) / qty, 8);
    return { venueOrderId: t.orderId, tradeId: `cum:${formatQty(t.filled)}`, price, qty, fee: round(next.fees - prev.fees), feeAsset, time: t.time, maker };
  }
}

/** One execution as `/orders/historical/fills` lists it (the venue's trade id). */
export interface TradeFill {
  tradeId: string;
  price: number;
  size: number;
  commission: number;
  time: number;
  maker: boolean;
}

/**
 * The executions of an order with their venue trade ids, as the fills new beyond what was seen of it
 * (in trade time order; those within the quantity already reported are skipped), when they add up to
 * its totals `t` and none straddles the quantity seen; else null (the caller falls back to
 * {@link CumulativeFills.advance}). The totals are then taken as seen, so no path reports them again.
 */
export function tradeFillsBeyond(cum: CumulativeFills, t: OrderTotals, trades: readonly TradeFill[], feeAsset: string): VenueFill[] | null {
  const total = trades.reduce((a, f) => a + f.size, 0);
  if (Math.abs(total - t.filled) > 1e-9) return null;
  const seen = cum.filledOf(t.orderId);
  const out: VenueFill[] = [];
  let at = 0;
  for (const f of [...trades].sort((a, b) => a.time - b.time || a.tradeId.localeCompare(b.tradeId))) {
    const start = at;
    at += f.size;
    if (at <= seen + EPS) continue;
    if (start + EPS < seen) return null;
    out.push({ venueOrderId: t.orderId, tradeId: f.tradeId, price: f.price, qty: f.size, fee: f.commission, feeAsset, time: f.time, maker: f.maker });
  }
  cum.advance(t, feeAsset, false);
  return out;
}

function round(x: number, decimals = 12): number {
  return Number(x.toFixed(decimals));
}

/** A quantity as a short decimal (no exponent, no trailing zeros). */
export function formatQty(x: number): string {
  return x.toFixed(12).replace(/\.?0+$/, "");
}
