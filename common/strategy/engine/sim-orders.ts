/**
 * Orders of the simulated broker: the internal record, request validation, the touch rule of
 * limit and stop orders against a bar, and the views handed to the strategy and the results.
 * Touch rule: a buy limit fills when low <= price, a sell limit when high >= price, a buy stop
 * when high >= price, a sell stop when low <= price; the fill is at the order price, or at the
 * open when the bar opened beyond it (a gap), except on the bar a bracket child was created in
 * mid-bar (the open was before it existed).
 */
import type { OrderType, OrderView } from "../api.ts";
import { RESULT_CAPS, type OrderRecord } from "../results.ts";
import type { BarPrices, OrderRequest } from "./ports.ts";
import type { Pricing } from "./pricing.ts";

/** The broker's own order record (never handed to the strategy). */
export interface SimOrder {
  id: number;
  side: 1 | -1;
  type: OrderType;
  size: number;
  /** Limit/stop price; NaN for market orders. */
  price: number;
  status: OrderRecord["status"];
  placedTime: number;
  fillTime: number | null;
  fillPrice: number | null;
  fee: number;
  reason: string | null;
  tag: string | null;
  parentId: number | null;
  stopLoss: number;
  takeProfit: number;
  closeAll: boolean;
  reduceOnly: boolean;
  /** First bar index the order may fill in. */
  activeFrom: number;
  /** Whether a gap at the open of the `activeFrom` bar fills at the open. */
  gapFill: boolean;
  /** Market order that fills at the close of the bar it was placed in. */
  atClose: boolean;
  /** The other half of a one-cancels-other bracket. */
  sibling: SimOrder | null;
}

const TYPES: readonly string[] = ["market", "limit", "stop"];

function positive(name: string, x: unknown): void {
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) {
    throw new TypeError(`${name} must be a finite number above 0 (got ${typeof x === "number" ? String(x) : typeof x})`);
  }
}

/** Throws a TypeError naming the first bad field of an order request. */
export function validateRequest(req: OrderRequest): void {
  if (!req.closeAll) positive("order size", req.size);
  const type = req.type ?? "market";
  if (typeof type !== "string" || !TYPES.includes(type)) throw new TypeError(`order type must be "market", "limit" or "stop"`);
  if (type !== "market") positive(`a ${type} order's price`, req.price);
  if (req.stopLoss !== undefined) positive("stopLoss", req.stopLoss);
  if (req.takeProfit !== undefined) positive("takeProfit", req.takeProfit);
  if (req.tag !== undefined && typeof req.tag !== "string") throw new TypeError("order tag must be a string");
  if (req.tag !== undefined && req.tag.length > RESULT_CAPS.maxTagChars) throw new RangeError(`order tag is ${req.tag.length} characters long; at most ${RESULT_CAPS.maxTagChars}`);
}

/** A new open order from a validated request, placed in `bar`. */
export function newOrder(id: number, req: OrderRequest, bar: BarPrices, pricing: Pricing, position: number, fillOn: "open" | "close"): SimOrder {
  const type = req.type ?? "market";
  const side: 1 | -1 = req.closeAll ? (position > 0 ? -1 : 1) : req.side === "buy" ? 1 : -1;
  const atClose = type === "market" && fillOn === "close";
  return {
    id,
    side,
    type,
    size: req.closeAll ? Math.abs(position) : req.size,
    price: type === "market" ? Number.NaN : pricing.orderPrice(req.price!),
    status: "open",
    placedTime: bar.time,
    fillTime: null,
    fillPrice: null,
    fee: 0,
    reason: null,
    tag: req.tag ?? null,
    parentId: null,
    stopLoss: req.stopLoss === undefined ? 0 : pricing.orderPrice(req.stopLoss),
    takeProfit: req.takeProfit === undefined ? 0 : pricing.orderPrice(req.takeProfit),
    closeAll: req.closeAll === true,
    reduceOnly: false,
    activeFrom: atClose ? bar.index : bar.index + 1,
    gapFill: true,
    atClose,
    sibling: null,
  };
}

/** The raw fill price of a limit/stop order in `bar`, or NaN when the bar does not reach it. */
export function touchPrice(o: SimOrder, bar: BarPrices): number {
  const p = o.price;
  const gap = o.gapFill || bar.index !== o.activeFrom;
  const buyLike = (o.type === "limit") === (o.side === 1);
  // buy limit and sell stop trigger on the low; sell limit and buy stop on the high.
  if (buyLike) {
    if (bar.low > p) return Number.NaN;
    return gap && bar.open < p ? bar.open : p;
  }
  if (bar.high < p) return Number.NaN;
  return gap && bar.open > p ? bar.open : p;
}

/** The strategy's read-only view of an order. */
export function orderView(o: SimOrder): OrderView {
  return Object.freeze({
    id: o.id,
    side: o.side === 1 ? "buy" : "sell",
    type: o.type,
    size: o.size,
    price: Number.isNaN(o.price) ? null : o.price,
    status: o.status,
    tag: o.tag,
  });
}

/** The result record of an order. */
export function orderRecord(o: SimOrder): OrderRecord {
  return {
    id: o.id,
    side: o.side === 1 ? "buy" : "sell",
    type: o.type,
    size: o.size,
    price: Number.isNaN(o.price) ? null : o.price,
    status: o.status,
    placedTime: o.placedTime,
    fillTime: o.fillTime,
    fillPrice: o.fillPrice,
    fee: o.fee,
    reason: o.reason,
    tag: o.tag,
    parentId: o.parentId,
  };
}
