/**
 * Position and round-trip accounting of one symbol (netting): fills move cash and the signed
 * position; a round trip opens when the position leaves zero and closes when it returns to zero.
 *
 * - Increasing fills raise the average price (size-weighted) and the trade's entry notional.
 * - Reducing fills realise (price - avg) * qty * sign; a fill that crosses zero closes the trade
 *   with the part that reached zero and opens the opposite trade with the rest, the fee split
 *   pro rata.
 * - A trade's entry/exit price is the size-weighted average of its entry/exit fills; `size` is the
 *   total size entered; `fees` all fees paid in it; `pnl` realised pnl net of fees (an open trade
 *   is marked at a given price).
 */
import type { Position, TradeView } from "../api.ts";
import type { TradeRecord } from "../results.ts";

interface OpenTrade {
  side: 1 | -1;
  entryTime: number;
  entryQty: number;
  entryNotional: number;
  exitQty: number;
  exitNotional: number;
  realized: number;
  fees: number;
}

const FLAT: Position = Object.freeze({ size: 0, avgPrice: 0 });

/** Cash, position and trades. */
export class Accounting {
  cash: number;
  size = 0;
  avgPrice = 0;
  /** The frozen position handed out since the last fill (built when first read after one). */
  private shown: Position | null = FLAT;
  readonly closed: TradeRecord[] = [];
  private open: OpenTrade | null = null;
  private readonly maxTrades: number;

  /** `maxTrades`: closing more trades than this in one run throws (the result-size cap). */
  constructor(cash: number, maxTrades = Number.POSITIVE_INFINITY) {
    this.cash = cash;
    this.maxTrades = maxTrades;
  }

  /** The position as a frozen snapshot: the same object until the next fill changes it. */
  get position(): Position {
    return (this.shown ??= this.size === 0 ? FLAT : Object.freeze({ size: this.size, avgPrice: this.avgPrice }));
  }

  /** Cash plus the position marked at `price`. */
  equityAt(price: number): number {
    return this.size === 0 ? this.cash : this.cash + this.size * price;
  }

  /** Applies a fill; returns the trade it closed, if any. */
  fill(side: 1 | -1, qty: number, price: number, fee: number, time: number): TradeRecord | null {
    if (this.size !== 0 && Math.sign(this.size) !== side && this.closed.length >= this.maxTrades) {
      throw new RangeError(`trade limit reached (${this.maxTrades} trades per run)`);
    }
    this.cash -= side * qty * price + fee;
    if (this.size === 0 || Math.sign(this.size) === side) {
      this.increase(side, qty, price, fee, time);
      return null;
    }
    // A remainder within rounding noise of the position closes it (0.1 + 0.2 sold as 0.3).
    const abs = Math.abs(this.size);
    const snapped = Math.abs(qty - abs) <= 1e-9 * qty;
    const closeQty = snapped ? abs : Math.min(qty, abs);
    const flips = !snapped && qty > abs;
    const closeFee = flips ? (fee * closeQty) / qty : fee;
    const t = this.open!;
    t.exitQty += closeQty;
    t.exitNotional += closeQty * price;
    t.realized += (price - this.avgPrice) * closeQty * t.side;
    t.fees += closeFee;
    this.size += side * closeQty;
    let done: TradeRecord | null = null;
    if (this.size === 0) {
      done = this.finish(t, time);
      this.avgPrice = 0;
    }
    if (flips) this.increase(side, qty - closeQty, price, fee - closeFee, time);
    this.shown = null;
    return done;
  }

  /** The open trade marked at `price` (exit fields null), or null when flat. */
  openTrade(price: number): TradeRecord | null {
    const t = this.open;
    if (!t) return null;
    const unrealized = (price - this.avgPrice) * Math.abs(this.size) * t.side;
    return {
      entryTime: t.entryTime,
      entryPrice: t.entryNotional / t.entryQty,
      exitTime: null,
      exitPrice: null,
      size: t.entryQty,
      side: t.side === 1 ? "long" : "short",
      pnl: t.realized + unrealized - t.fees,
      fees: t.fees,
    };
  }

  private increase(side: 1 | -1, qty: number, price: number, fee: number, time: number): void {
    const abs = Math.abs(this.size);
    this.avgPrice = abs === 0 ? price : (this.avgPrice * abs + price * qty) / (abs + qty);
    this.size += side * qty;
    if (!this.open) {
      this.open = { side, entryTime: time, entryQty: 0, entryNotional: 0, exitQty: 0, exitNotional: 0, realized: 0, fees: 0 };
    }
    this.open.entryQty += qty;
    this.open.entryNotional += qty * price;
    this.open.fees += fee;
    this.shown = null;
  }

  private finish(t: OpenTrade, time: number): TradeRecord {
    this.open = null;
    const rec: TradeRecord = {
      entryTime: t.entryTime,
      entryPrice: t.entryNotional / t.entryQty,
      exitTime: time,
      exitPrice: t.exitNotional / t.exitQty,
      size: t.entryQty,
      side: t.side === 1 ? "long" : "short",
      pnl: t.realized - t.fees,
      fees: t.fees,
    };
    this.closed.push(rec);
    return rec;
  }
}

/** A frozen copy of a trade record for strategy callbacks. */
export function tradeView(t: TradeRecord): TradeView {
  return Object.freeze({ ...t });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Why an exposure-increasing fill cannot be paid for, or null: a long needs cash >= 0 after the
 * fill, a short needs |size| * price <= equity after the fill (fills that only reduce always pass).
 */
export function fillProblem(acct: Accounting, side: 1 | -1, qty: number, price: number, fee: number): string | null {
  const pos = acct.size;
  const next = pos + side * qty;
  if (Math.abs(next) <= Math.abs(pos) && Math.sign(next) !== -Math.sign(pos)) return null;
  const cashAfter = acct.cash - side * qty * price - fee;
  if (next > 0 && cashAfter < 0) {
    return `insufficient cash: the fill needs ${round2(side * qty * price + fee)} and cash is ${round2(acct.cash)}`;
  }
  const equityAfter = cashAfter + next * price;
  if (next < 0 && -next * price > equityAfter) {
    return `insufficient equity for a short of ${-next} at ${price}: equity would be ${round2(equityAfter)}`;
  }
  return null;
}
