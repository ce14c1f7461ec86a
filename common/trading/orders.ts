/**
 * The one order model of backtest, paper and live trading: what is asked (an {@link OrderSpec}),
 * the order as the order layer keeps and persists it (a {@link TradingOrder}), and its fills
 * ({@link TradingFill}, with the venue's time and the time core received it). Every order gets a
 * client order id before it leaves: it is written to the store first, then sent, so a restart finds
 * every order that may be at a venue under the id the venue knows it by.
 */
import type { OrderStatus } from "./state-machine.ts";

/** Buy or sell. */
export type OrderSide = "buy" | "sell";
/** Order types (the strategy API's, plus what brackets use). */
export type TradingOrderType = "market" | "limit" | "stop";
/** Time in force: good till cancelled, or immediate or cancel (what cannot fill at once expires). */
export type TimeInForce = "GTC" | "IOC";
/** Who owns an order inside an account: a running strategy's sub-ledger, or manual trading. */
export type LedgerId = string;
/** The sub-ledger of manual orders. */
export const MANUAL_LEDGER: LedgerId = "manual";

/** What a strategy or a manual ticket asks for. */
export interface OrderSpec {
  venue: string;
  symbol: string;
  side: OrderSide;
  type: TradingOrderType;
  /** Base-asset size, > 0. */
  size: number;
  /** Limit price (limit) or trigger price (stop); null for market orders. */
  price: number | null;
  tif: TimeInForce;
  /** Bracket: a protective stop placed once this order fills. */
  stopLoss?: number;
  /** Bracket: a take-profit limit placed once this order fills. */
  takeProfit?: number;
  /** Only reduces the position (bracket children, kill-switch reduce-only flattening). */
  reduceOnly?: boolean;
  /** Flatten whatever position the ledger holds when it fills (`ctx.close()`). */
  closeAll?: boolean;
  tag?: string | null;
}

/** An order as the order layer keeps it. */
export interface TradingOrder extends OrderSpec {
  /** Client order id, assigned (and persisted) before the order leaves. */
  id: string;
  account: string;
  ledger: LedgerId;
  status: OrderStatus;
  filledSize: number;
  /** Size-weighted average fill price; null before the first fill. */
  avgPrice: number | null;
  /** Venue time when the order was placed (the bar's end for an order placed in `onBar`). */
  createdTime: number;
  updatedTime: number;
  /** Why it was rejected, cancelled or expired. */
  reason: string | null;
  /** The entry order of a bracket child. */
  parentId: string | null;
  /** The other half of a one-cancels-other pair. */
  ocoId: string | null;
  /** The strategy's own numeric order id (the value `ctx.buy` returned), when a strategy placed it. */
  strategyOrderId: number | null;
  /** The strategy ids reserved for its bracket children (stop-loss first, then take-profit). */
  childStrategyIds: number[];
}

/** Whether the fill added liquidity (a resting limit) or took it. */
export type Liquidity = "maker" | "taker";

/** One execution of an order. */
export interface TradingFill {
  /** Unique per account, so a replayed event never applies twice. */
  id: string;
  orderId: string;
  side: OrderSide;
  price: number;
  size: number;
  fee: number;
  liquidity: Liquidity;
  /** The venue's time of the execution (for paper: the trade it filled against). */
  venueTime: number;
  /** When core received it (paper: when the trade reached core; a replay: the recording's `t`). */
  receiveTime: number;
}

/** A client order id: `<prefix>-<sequence>`; prefixes are short and never contain "-". */
export function clientOrderId(prefix: string, sequence: number): string {
  if (!/^[A-Za-z0-9_]{1,24}$/.test(prefix)) throw new RangeError(`a client order id prefix is 1-24 letters, digits or _, not "${prefix}"`);
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`a client order id sequence is a whole number from 1, not ${sequence}`);
  return `${prefix}-${sequence}`;
}

/** The signed direction of a side: +1 buy, -1 sell. */
export function sideSign(side: OrderSide): 1 | -1 {
  return side === "buy" ? 1 : -1;
}

/** Throws a one-line error naming the first bad field of a spec (sizes and prices finite and > 0). */
export function validateSpec(spec: OrderSpec): void {
  const positive = (name: string, x: unknown) => {
    if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) throw new RangeError(`${name} must be a finite number above 0 (got ${String(x)})`);
  };
  if (spec.side !== "buy" && spec.side !== "sell") throw new RangeError(`side must be "buy" or "sell" (got ${String(spec.side)})`);
  if (!["market", "limit", "stop"].includes(spec.type)) throw new RangeError(`order type must be market, limit or stop (got ${String(spec.type)})`);
  if (spec.tif !== "GTC" && spec.tif !== "IOC") throw new RangeError(`time in force must be GTC or IOC (got ${String(spec.tif)})`);
  if (!spec.closeAll) positive("size", spec.size);
  if (spec.type === "market" && spec.price !== null) throw new RangeError("a market order has no price");
  if (spec.type !== "market") positive(`a ${spec.type} order's price`, spec.price);
  if (spec.stopLoss !== undefined) positive("stopLoss", spec.stopLoss);
  if (spec.takeProfit !== undefined) positive("takeProfit", spec.takeProfit);
}
