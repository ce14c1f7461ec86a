/**
 * Coinbase Advanced Trade private answers → typed values (pure: no I/O, no clock). Covered:
 * `POST /orders` (`success`, `success_response`, `error_response`), `GET /orders/historical/{id}`
 * (`order`), `/orders/historical/batch` (`orders`, `has_next`, `cursor`), `/orders/historical/fills`
 * (`fills`), `POST /orders/batch_cancel` (`results`), `/key_permissions`, `/accounts`, `/products`,
 * `/time`, error bodies, and the WebSocket `user` channel (`sequence_num`, `events` of `snapshot` /
 * `update` with `orders`). Field names are Coinbase's, read exactly; decimals arrive as strings.
 * Each parser throws {@link CoinbaseParseError} naming the field.
 */

/** An answer that does not have the documented shape. */
export class CoinbaseParseError extends Error {
  override name = "CoinbaseParseError";
}

/** Coinbase order statuses (REST and the user channel). */
export type CoinbaseOrderStatus = "PENDING" | "OPEN" | "FILLED" | "CANCELLED" | "EXPIRED" | "FAILED" | "UNKNOWN_ORDER_STATUS" | "QUEUED" | "CANCEL_QUEUED";

/** An order as `/orders/historical/*` or the user channel reports it. */
export interface CoinbaseOrder {
  orderId: string;
  clientOrderId: string;
  productId: string;
  side: "BUY" | "SELL";
  status: CoinbaseOrderStatus;
  /** Base size ordered (from `order_configuration`, or `cumulative_quantity` + `leaves_quantity`); null when not given. */
  size: number | null;
  limitPrice: number | null;
  /** `filled_size` / `cumulative_quantity`. */
  filled: number;
  /** `average_filled_price` / `avg_price` (0 before any fill). */
  avgPrice: number;
  /** `total_fees`, in the quote currency. */
  totalFees: number;
  /** `created_time` / `creation_time`, ms. */
  time: number;
  rejectReason: string;
}

/** A `/orders/historical/fills` row. */
export interface CoinbaseFill {
  tradeId: string;
  orderId: string;
  productId: string;
  price: number;
  size: number;
  commission: number;
  time: number;
  maker: boolean;
}

/** One product's order rules (`/products`). */
export interface CoinbaseProductRules {
  productId: string;
  base: string;
  quote: string;
  baseIncrement: number;
  priceIncrement: number;
  baseMinSize: number;
  quoteMinSize: number;
}

type Obj = Record<string, unknown>;

function object(v: unknown, what: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new CoinbaseParseError(`${what}: expected an object`);
  return v as Obj;
}

function list(o: Obj, key: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new CoinbaseParseError(`field "${key}": expected an array`);
  return v;
}

function text(o: Obj, key: string): string {
  const v = o[key];
  if (typeof v !== "string") throw new CoinbaseParseError(`field "${key}": expected a string`);
  return v;
}

function optText(o: Obj, key: string): string {
  return o[key] === undefined || o[key] === null ? "" : text(o, key);
}

function decimal(o: Obj, key: string): number {
  const v = o[key];
  if (typeof v !== "string" || !/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(v)) throw new CoinbaseParseError(`field "${key}": expected a decimal string`);
  return Number(v);
}

function optDecimal(o: Obj, key: string): number | null {
  return o[key] === undefined || o[key] === null || o[key] === "" ? null : decimal(o, key);
}

function timeOf(o: Obj, key: string): number {
  const t = Date.parse(text(o, key));
  if (!Number.isFinite(t)) throw new CoinbaseParseError(`field "${key}": expected an RFC 3339 time`);
  return t;
}

const STATUSES = new Set<string>(["PENDING", "OPEN", "FILLED", "CANCELLED", "EXPIRED", "FAILED", "UNKNOWN_ORDER_STATUS", "QUEUED", "CANCEL_QUEUED"]);

function status(o: Obj, key: string): CoinbaseOrderStatus {
  const s = text(o, key);
  if (!STATUSES.has(s)) throw new CoinbaseParseError(`field "${key}": unknown order status "${s}"`);
  return s as CoinbaseOrderStatus;
}

function side(o: Obj, key: string): "BUY" | "SELL" {
  const s = text(o, key);
  if (s !== "BUY" && s !== "SELL") throw new CoinbaseParseError(`field "${key}": expected BUY or SELL`);
  return s;
}

/** The outcome of `POST /orders`: the order id, or the venue's refusal. */
export type CreateOrderAnswer = { success: true; orderId: string; clientOrderId: string } | { success: false; error: string; message: string };

/** `POST /api/v3/brokerage/orders`. */
export function parseCreateOrder(value: unknown): CreateOrderAnswer {
  const o = object(value, "create order answer");
  if (typeof o.success !== "boolean") throw new CoinbaseParseError('field "success": expected a boolean');
  if (o.success) {
    const r = object(o.success_response, "success_response");
    return { success: true, orderId: text(r, "order_id"), clientOrderId: optText(r, "client_order_id") };
  }
  const e = o.error_response === undefined ? {} : object(o.error_response, "error_response");
  const error = optText(e, "error") || optText(e, "preview_failure_reason") || optText(o, "failure_reason") || "UNKNOWN_FAILURE_REASON";
  return { success: false, error, message: optText(e, "message") || optText(e, "error_details") };
}

/** The base size and limit price of an `order_configuration`. */
function configuration(value: unknown): { size: number | null; limitPrice: number | null } {
  if (value === undefined || value === null) return { size: null, limitPrice: null };
  const cfg = object(value, "order_configuration");
  const inner = Object.values(cfg).find((v) => typeof v === "object" && v !== null);
  if (!inner) return { size: null, limitPrice: null };
  const c = object(inner, "order_configuration entry");
  return { size: optDecimal(c, "base_size"), limitPrice: optDecimal(c, "limit_price") };
}

/** One REST order (`/orders/historical/{id}`'s `order`, or a `/batch` entry). */
export function parseOrder(value: unknown): CoinbaseOrder {
  const o = object(value, "order");
  const cfg = configuration(o.order_configuration);
  return { orderId: text(o, "order_id"), clientOrderId: optText(o, "client_order_id"), productId: text(o, "product_id"), side: side(o, "side"), status: status(o, "status"), size: cfg.size, limitPrice: cfg.limitPrice, filled: optDecimal(o, "filled_size") ?? 0, avgPrice: optDecimal(o, "average_filled_price") ?? 0, totalFees: optDecimal(o, "total_fees") ?? 0, time: timeOf(o, "created_time"), rejectReason: optText(o, "reject_reason") };
}

/** `GET /orders/historical/{order_id}`. */
export function parseGetOrder(value: unknown): CoinbaseOrder {
  return parseOrder(object(value, "get order answer").order);
}

/** `GET /orders/historical/batch`: a page of orders and the cursor of the next one ("" when none). */
export function parseOrdersPage(value: unknown): { orders: CoinbaseOrder[]; cursor: string } {
  const o = object(value, "list orders answer");
  return { orders: list(o, "orders").map(parseOrder), cursor: o.has_next === true ? optText(o, "cursor") : "" };
}

/** `GET /orders/historical/fills`. */
export function parseFills(value: unknown): { fills: CoinbaseFill[]; cursor: string } {
  const o = object(value, "list fills answer");
  const fills = list(o, "fills").map((v) => {
    const f = object(v, "fill");
    return { tradeId: text(f, "trade_id"), orderId: text(f, "order_id"), productId: text(f, "product_id"), price: decimal(f, "price"), size: decimal(f, "size"), commission: decimal(f, "commission"), time: timeOf(f, "trade_time"), maker: optText(f, "liquidity_indicator") === "MAKER" };
  });
  return { fills, cursor: optText(o, "cursor") };
}

/** `POST /orders/batch_cancel`: one result per order id. */
export function parseBatchCancel(value: unknown): { orderId: string; success: boolean; failureReason: string }[] {
  return list(object(value, "cancel answer"), "results").map((v) => {
    const r = object(v, "result");
    if (typeof r.success !== "boolean") throw new CoinbaseParseError('field "success": expected a boolean');
    return { orderId: text(r, "order_id"), success: r.success, failureReason: optText(r, "failure_reason") };
  });
}

/** `GET /key_permissions`. */
export function parseKeyPermissions(value: unknown): { canView: boolean; canTrade: boolean; canTransfer: boolean; portfolioUuid: string } {
  const o = object(value, "key permissions answer");
  const flag = (k: string) => {
    if (typeof o[k] !== "boolean") throw new CoinbaseParseError(`field "${k}": expected a boolean`);
    return o[k] as boolean;
  };
  return { canView: flag("can_view"), canTrade: flag("can_trade"), canTransfer: flag("can_transfer"), portfolioUuid: optText(o, "portfolio_uuid") };
}

/** `GET /accounts`: balances by currency (`available_balance` free, `hold` locked) and the next cursor. */
export function parseAccounts(value: unknown): { balances: Record<string, { free: number; locked: number }>; cursor: string } {
  const o = object(value, "accounts answer");
  const balances: Record<string, { free: number; locked: number }> = {};
  for (const v of list(o, "accounts")) {
    const a = object(v, "account");
    const hold = a.hold === undefined ? 0 : decimal(object(a.hold, "hold"), "value");
    balances[text(a, "currency")] = { free: decimal(object(a.available_balance, "available_balance"), "value"), locked: hold };
  }
  return { balances, cursor: o.has_next === true ? optText(o, "cursor") : "" };
}

/** `GET /products`: each product's order rules. */
export function parseProducts(value: unknown): CoinbaseProductRules[] {
  return list(object(value, "products answer"), "products").map((v) => {
    const p = object(v, "product");
    return { productId: text(p, "product_id"), base: optText(p, "base_currency_id") || text(p, "product_id").split("-")[0]!, quote: optText(p, "quote_currency_id") || text(p, "product_id").split("-")[1]!, baseIncrement: decimal(p, "base_increment"), priceIncrement: optDecimal(p, "price_increment") ?? decimal(p, "quote_increment"), baseMinSize: decimal(p, "base_min_size"), quoteMinSize: optDecimal(p, "quote_min_size") ?? 0 };
  });
}

/** `GET /time`: the server's clock in ms. */
export function parseServerTime(value: unknown): number {
  const o = object(value, "time answer");
  const ms = o.epochMillis;
  if (typeof ms === "string" && /^\d+$/.test(ms)) return Number(ms);
  if (typeof ms === "number" && Number.isFinite(ms)) return ms;
  return timeOf(o, "iso");
}

/** An error body (`{"error","message","error_details"}` or gRPC `{"code","message"}`); null when the body is not one. */
export function parseError(value: unknown): { error: string; message: string } | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const o = value as Obj;
  if (typeof o.error === "string") {
    const message = typeof o.message === "string" ? o.message : "";
    const details = typeof o.error_details === "string" && o.error_details !== message ? o.error_details : "";
    return { error: o.error, message: [message, details].filter(Boolean).join(": ") };
  }
  if (typeof o.message === "string" && (typeof o.code === "number" || typeof o.code === "string")) return { error: String(o.code), message: o.message };
  return null;
}

/** One order of a user-channel event. */
function parseUserOrder(value: unknown): CoinbaseOrder {
  const o = object(value, "user order");
  const filled = decimal(o, "cumulative_quantity");
  const leaves = optDecimal(o, "leaves_quantity");
  return { orderId: text(o, "order_id"), clientOrderId: optText(o, "client_order_id"), productId: text(o, "product_id"), side: side(o, "order_side"), status: status(o, "status"), size: leaves === null ? null : filled + leaves, limitPrice: optDecimal(o, "limit_price"), filled, avgPrice: optDecimal(o, "avg_price") ?? 0, totalFees: optDecimal(o, "total_fees") ?? 0, time: timeOf(o, "creation_time"), rejectReason: optText(o, "reject_reason") };
}

/** A WebSocket message: a `user` channel message, or any other (subscriptions, heartbeats, error). */
export type CoinbaseWsMessage =
  | { kind: "user"; sequence: number; events: { type: "snapshot" | "update"; orders: CoinbaseOrder[] }[] }
  | { kind: "other"; channel: string; sequence: number | null; error: string | null };

/** One WebSocket message. */
export function parseWsMessage(value: unknown): CoinbaseWsMessage {
  const o = object(value, "message");
  const sequence = typeof o.sequence_num === "number" && Number.isSafeInteger(o.sequence_num) ? o.sequence_num : null;
  if (o.type === "error") return { kind: "other", channel: "error", sequence, error: optText(o, "message") || "error" };
  if (o.channel !== "user") return { kind: "other", channel: typeof o.channel === "string" ? o.channel : "", sequence, error: null };
  if (sequence === null) throw new CoinbaseParseError('field "sequence_num": expected an integer');
  const events = list(o, "events").map((v) => {
    const e = object(v, "event");
    const type = text(e, "type");
    if (type !== "snapshot" && type !== "update") throw new CoinbaseParseError(`field "type": expected snapshot or update`);
    return { type: type as "snapshot" | "update", orders: e.orders === undefined ? [] : list(e, "orders").map(parseUserOrder) };
  });
  return { kind: "user", sequence, events };
}
