/**
 * The execution adapter port: what the live order layer needs from a venue, one implementation per
 * venue (like the market-data adapters). Every answer is classified: an order is `accepted`,
 * `rejected` (the venue definitely did not take it, with its rule), or `unknown` (sent, outcome not
 * known: a timeout, a 5xx, a dropped connection, Binance -1007, an answer that did not parse) —
 * `unknown` is resolved by {@link ExecutionAdapter.query} on the client order id, never by re-sending.
 */
import type { TradingOrder } from "../../../common/trading/orders.ts";
import type { OrderStatus } from "../../../common/trading/state-machine.ts";

/** One execution at the venue; (venue, venueOrderId, tradeId) identifies it. */
export interface VenueFill {
  venueOrderId: string;
  tradeId: string;
  price: number;
  qty: number;
  /** Commission, in `feeAsset`. */
  fee: number;
  feeAsset: string;
  time: number;
  maker: boolean;
}

/** An order as the venue reports it. */
export interface VenueOrderState {
  clientOrderId: string;
  venueOrderId: string;
  symbol: string;
  side: "buy" | "sell";
  status: OrderStatus;
  size: number;
  price: number | null;
  filledSize: number;
  time: number;
}

/** The outcome of sending an order. */
export type PlaceResult =
  | { kind: "accepted"; state: VenueOrderState; fills: VenueFill[] }
  | { kind: "rejected"; reason: string }
  /** Refused by the rate limit before it was executed: wait `retryAfterMs` (null: stopped for good, HTTP 418). */
  | { kind: "throttled"; retryAfterMs: number | null; reason: string }
  | { kind: "unknown"; reason: string };

/** The outcome of asking for one order by its client order id. */
export type QueryResult = { kind: "found"; state: VenueOrderState; fills: VenueFill[] } | { kind: "missing" } | { kind: "unknown"; reason: string };

/** A private-stream event. */
export type UserStreamEvent =
  | { kind: "order"; state: VenueOrderState; fill: VenueFill | null }
  | { kind: "balances"; balances: Record<string, { free: number; locked: number }> };

/** Handlers of a private stream. */
export interface UserStreamHandlers {
  event(e: UserStreamEvent): void;
  /** The stream dropped (it is not reopened by the adapter). */
  closed(reason: string): void;
}

/** A venue's private API for one key and environment. */
export interface ExecutionAdapter {
  readonly venue: string;
  /** Measures the server-time offset and loads the symbol filters; throws (clock skew, bad key) with a one-line reason. */
  prepare(): Promise<void>;
  /** The venue rule an order breaks (tick, lot, minimum notional), before it is sent; null when it passes. */
  check(order: TradingOrder, reference: number | null): { rule: string; reason: string } | null;
  place(order: TradingOrder): Promise<PlaceResult>;
  query(order: TradingOrder): Promise<QueryResult>;
  cancel(order: TradingOrder): Promise<QueryResult>;
  openOrders(symbols: readonly string[]): Promise<VenueOrderState[]>;
  balances(): Promise<Record<string, { free: number; locked: number }>>;
  openStream(handlers: UserStreamHandlers): Promise<{ close(): void }>;
}
