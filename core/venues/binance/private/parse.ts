/**
 * Binance private answers → typed values (pure: no I/O, no clock). Covers the order answer of
 * `POST /api/v3/order` (ACK/RESULT/FULL), `GET /api/v3/order` and `/openOrders`, `/myTrades`,
 * `/account` balances, `/sapi/v1/account/apiRestrictions`, the `{code,msg}` error body, and the
 * user-data events `executionReport` and `outboundAccountPosition` (bare or wrapped in the WebSocket
 * API's `{"subscriptionId","event"}`). Field names are Binance's, read exactly; decimals arrive as
 * strings. Each parser throws {@link BinanceParseError} naming the field, so a caller can log the raw
 * answer (redacted) and leave the order `unknown` instead of guessing.
 */

/** An answer that does not have the documented shape. */
export class BinanceParseError extends Error {
  override name = "BinanceParseError";
}

/** Binance order statuses. */
export type BinanceOrderStatus = "NEW" | "PENDING_NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "PENDING_CANCEL" | "REJECTED" | "EXPIRED" | "EXPIRED_IN_MATCH";

/** An order as Binance reports it. */
export interface BinanceOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: "BUY" | "SELL";
  type: string;
  status: BinanceOrderStatus;
  price: number;
  origQty: number;
  executedQty: number;
  time: number;
}

/** One execution (a `fills` entry, a `/myTrades` row, or a TRADE execution report). */
export interface BinanceTrade {
  symbol: string;
  orderId: number;
  tradeId: number;
  price: number;
  qty: number;
  commission: number;
  commissionAsset: string;
  time: number;
  isMaker: boolean;
}

/** An `executionReport` user-data event. */
export interface ExecutionReport {
  eventTime: number;
  symbol: string;
  clientOrderId: string;
  /** `C`: the original client order id of a cancel ("" otherwise). */
  origClientOrderId: string;
  side: "BUY" | "SELL";
  orderType: string;
  executionType: string;
  status: BinanceOrderStatus;
  rejectReason: string;
  orderId: number;
  origQty: number;
  cumulativeQty: number;
  /** The execution, when `executionType` is TRADE. */
  trade: BinanceTrade | null;
}

/** A balance (free and locked) of one asset. */
export interface BinanceBalance {
  asset: string;
  free: number;
  locked: number;
}

/** An `outboundAccountPosition` event. */
export interface AccountPosition {
  eventTime: number;
  balances: BinanceBalance[];
}

/** The error body `{"code":-1013,"msg":"..."}`. */
export interface BinanceError {
  code: number;
  msg: string;
}

/** What a key may do (`apiRestrictions`). */
export interface KeyRestrictions {
  enableReading: boolean;
  enableSpotAndMarginTrading: boolean;
  enableWithdrawals: boolean;
  enableInternalTransfer: boolean;
  permitsUniversalTransfer: boolean;
}

type Obj = Record<string, unknown>;

function object(v: unknown, what: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new BinanceParseError(`${what}: expected an object`);
  return v as Obj;
}

function text(o: Obj, key: string): string {
  const v = o[key];
  if (typeof v !== "string") throw new BinanceParseError(`field "${key}": expected a string`);
  return v;
}

function int(o: Obj, key: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new BinanceParseError(`field "${key}": expected an integer`);
  return v;
}

function decimal(o: Obj, key: string): number {
  const v = o[key];
  if (typeof v !== "string" || !/^-?\d+(\.\d+)?$/.test(v)) throw new BinanceParseError(`field "${key}": expected a decimal string`);
  return Number(v);
}

function flag(o: Obj, key: string): boolean {
  const v = o[key];
  if (typeof v !== "boolean") throw new BinanceParseError(`field "${key}": expected true or false`);
  return v;
}

function side(o: Obj, key: string): "BUY" | "SELL" {
  const v = text(o, key);
  if (v !== "BUY" && v !== "SELL") throw new BinanceParseError(`field "${key}": expected BUY or SELL`);
  return v;
}

const STATUSES = new Set(["NEW", "PENDING_NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED", "PENDING_CANCEL", "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH"]);

function status(o: Obj, key: string): BinanceOrderStatus {
  const v = text(o, key);
  if (!STATUSES.has(v)) throw new BinanceParseError(`field "${key}": unknown order status "${v}"`);
  return v as BinanceOrderStatus;
}

/** Parses JSON text; throws {@link BinanceParseError} when it is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new BinanceParseError("answer is not JSON");
  }
}

/** The error body, or null when `value` is not one. */
export function parseError(value: unknown): BinanceError | null {
  if (typeof value !== "object" || value === null) return null;
  const o = value as Obj;
  return typeof o.code === "number" && typeof o.msg === "string" ? { code: o.code, msg: o.msg } : null;
}

/** An order answer (`POST /order` RESULT/FULL, `GET /order`, an `/openOrders` row). */
export function parseOrder(value: unknown): BinanceOrder {
  const o = object(value, "order");
  const time = typeof o.transactTime === "number" ? o.transactTime : int(o, "time");
  return {
    symbol: text(o, "symbol"),
    orderId: int(o, "orderId"),
    clientOrderId: text(o, "clientOrderId"),
    side: side(o, "side"),
    type: text(o, "type"),
    status: status(o, "status"),
    price: decimal(o, "price"),
    origQty: decimal(o, "origQty"),
    executedQty: decimal(o, "executedQty"),
    time,
  };
}

/** The `fills` of a FULL order answer as trades (empty for ACK/RESULT answers). */
export function parseOrderFills(value: unknown, order: BinanceOrder): BinanceTrade[] {
  const fills = object(value, "order").fills;
  if (fills === undefined) return [];
  if (!Array.isArray(fills)) throw new BinanceParseError('field "fills": expected an array');
  return fills.map((f) => {
    const x = object(f, "fill");
    return { symbol: order.symbol, orderId: order.orderId, tradeId: int(x, "tradeId"), price: decimal(x, "price"), qty: decimal(x, "qty"), commission: decimal(x, "commission"), commissionAsset: text(x, "commissionAsset"), time: order.time, isMaker: false };
  });
}

/** A `/myTrades` row. */
export function parseMyTrade(value: unknown): BinanceTrade {
  const o = object(value, "trade");
  return { symbol: text(o, "symbol"), orderId: int(o, "orderId"), tradeId: int(o, "id"), price: decimal(o, "price"), qty: decimal(o, "qty"), commission: decimal(o, "commission"), commissionAsset: text(o, "commissionAsset"), time: int(o, "time"), isMaker: flag(o, "isMaker") };
}

/** The `balances` of `GET /api/v3/account`. */
export function parseAccountBalances(value: unknown): BinanceBalance[] {
  const list = object(value, "account").balances;
  if (!Array.isArray(list)) throw new BinanceParseError('field "balances": expected an array');
  return list.map((b) => {
    const x = object(b, "balance");
    return { asset: text(x, "asset"), free: decimal(x, "free"), locked: decimal(x, "locked") };
  });
}

/** `GET /sapi/v1/account/apiRestrictions`. */
export function parseRestrictions(value: unknown): KeyRestrictions {
  const o = object(value, "apiRestrictions");
  const opt = (k: string) => (o[k] === undefined ? false : flag(o, k));
  return { enableReading: flag(o, "enableReading"), enableSpotAndMarginTrading: flag(o, "enableSpotAndMarginTrading"), enableWithdrawals: flag(o, "enableWithdrawals"), enableInternalTransfer: opt("enableInternalTransfer"), permitsUniversalTransfer: opt("permitsUniversalTransfer") };
}

function parseExecutionReport(o: Obj): ExecutionReport {
  const executionType = text(o, "x");
  const base = { symbol: text(o, "s"), orderId: int(o, "i") };
  const trade: BinanceTrade | null =
    executionType === "TRADE"
      ? { ...base, tradeId: int(o, "t"), price: decimal(o, "L"), qty: decimal(o, "l"), commission: decimal(o, "n"), commissionAsset: o.N === null ? "" : text(o, "N"), time: int(o, "T"), isMaker: flag(o, "m") }
      : null;
  return {
    eventTime: int(o, "E"),
    ...base,
    clientOrderId: text(o, "c"),
    origClientOrderId: text(o, "C"),
    side: side(o, "S"),
    orderType: text(o, "o"),
    executionType,
    status: status(o, "X"),
    rejectReason: text(o, "r"),
    origQty: decimal(o, "q"),
    cumulativeQty: decimal(o, "z"),
    trade,
  };
}

function parseAccountPosition(o: Obj): AccountPosition {
  const list = o.B;
  if (!Array.isArray(list)) throw new BinanceParseError('field "B": expected an array');
  return { eventTime: int(o, "E"), balances: list.map((b) => ({ asset: text(object(b, "balance"), "a"), free: decimal(object(b, "balance"), "f"), locked: decimal(object(b, "balance"), "l") })) };
}

/** A user-data event. */
export type UserEvent = { kind: "execution"; report: ExecutionReport } | { kind: "account"; position: AccountPosition } | { kind: "other"; type: string };

/** A user-data event, bare or wrapped as the WebSocket API sends it (`{"subscriptionId":0,"event":{...}}`). */
export function parseUserEvent(value: unknown): UserEvent {
  const outer = object(value, "event");
  const o = outer.event !== undefined ? object(outer.event, "event") : outer;
  const type = text(o, "e");
  if (type === "executionReport") return { kind: "execution", report: parseExecutionReport(o) };
  if (type === "outboundAccountPosition") return { kind: "account", position: parseAccountPosition(o) };
  return { kind: "other", type };
}
