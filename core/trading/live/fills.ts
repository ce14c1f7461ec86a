/**
 * Applying one venue execution to a live order: the fill id is `<venue>:<venue order id>:<trade id>`
 * so the same execution arriving again (in the order answer, on the stream, twice on the stream, in
 * a reconciliation) is stored once; the fill and the order's new state are written together, then
 * the account's positions move. A commission paid in the base asset is valued in the quote asset at
 * the fill price.
 */
import type { TradingFill, TradingOrder } from "../../../common/trading/orders.ts";
import { applyOrderEvent } from "../../../common/trading/state-machine.ts";
import { assetsOf, type PaperAccount } from "../ledger.ts";
import type { TradingStore } from "../store.ts";
import type { VenueFill } from "./adapter.ts";

/** What a fill needs. */
export interface FillContext {
  store: TradingStore;
  account: PaperAccount;
  fillIds: Set<string>;
  venue: string;
  now: number;
}

/** The fill id of a venue execution. */
export function venueFillId(venue: string, f: VenueFill): string {
  return `${venue}:${f.venueOrderId}:${f.tradeId}`;
}

/** Applies `f` to `o` once: the stored fill, or "duplicate" when it was already stored, "overfill" when it would overfill. */
export function applyVenueFill(ctx: FillContext, o: TradingOrder, f: VenueFill): TradingFill | "duplicate" | "overfill" {
  const id = venueFillId(ctx.venue, f);
  if (ctx.fillIds.has(id)) return "duplicate";
  const { base, quote } = assetsOf(o.symbol);
  const fee = f.feeAsset === quote ? f.fee : f.feeAsset === base ? f.fee * f.price : 0;
  const fill: TradingFill = { id, orderId: o.id, side: o.side, price: f.price, size: f.qty, fee, liquidity: f.maker ? "maker" : "taker", venueTime: f.time, receiveTime: ctx.now };
  const next = { ...o };
  try {
    applyOrderEvent(next, { kind: "fill", size: f.qty });
  } catch {
    return "overfill";
  }
  next.avgPrice = ((o.avgPrice ?? 0) * o.filledSize + f.price * f.qty) / (o.filledSize + f.qty);
  next.updatedTime = Math.max(o.updatedTime, f.time);
  ctx.fillIds.add(id);
  if (!ctx.store.saveFill({ ...fill, account: o.account, ledger: o.ledger, symbol: o.symbol }, next)) return "duplicate";
  Object.assign(o, next);
  ctx.account.fill(o.ledger, o.symbol, o.side, f.qty, f.price, fee, f.time);
  return fill;
}
