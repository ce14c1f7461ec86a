/**
 * Kraken spot private answers → typed values (pure: no I/O, no clock). Every REST answer is the
 * envelope `{"error":[...],"result":{...}}`; covered: `AddOrder`, `CancelOrder`, `OpenOrders` /
 * `ClosedOrders` / `QueryOrders` (orders keyed by txid), `Balance`, `TradesHistory`,
 * `GetWebSocketsToken`, `CancelAllOrdersAfter`, `GetApiKeyInfo`, and over WebSocket v2 the
 * `executions` channel (snapshot and updates) and the answers to `add_order` / `cancel_order`. Field names are Kraken's, read exactly; REST decimals arrive as strings, WS v2 ones as
 * numbers. Each parser throws {@link KrakenParseError} naming the field.
 */

/** An answer that does not have the documented shape. */
export class KrakenParseError extends Error {
  override name = "KrakenParseError";
}

/** Kraken REST order statuses. */
export type KrakenOrderStatus = "pending" | "open" | "closed" | "canceled" | "expired";

/** An order as `OpenOrders` / `ClosedOrders` / `QueryOrders` report it. */
export interface KrakenOrder {
  txid: string;
  clOrdId: string | null;
  status: KrakenOrderStatus;
  pair: string;
  side: "buy" | "sell";
  ordertype: string;
  price: number;
  vol: number;
  volExec: number;
  /** `opentm`, in ms. */
  time: number;
  trades: string[];
}

/** A `TradesHistory` row. */
export interface KrakenTrade {
  tradeId: string;
  ordertxid: string;
  pair: string;
  price: number;
  vol: number;
  fee: number;
  /** In ms. */
  time: number;
  maker: boolean;
}

/** One `executions` entry (WS v2). */
export interface KrakenExecution {
  execType: string;
  orderId: string;
  clOrdId: string | null;
  symbol: string | null;
  side: "buy" | "sell" | null;
  orderQty: number | null;
  limitPrice: number | null;
  orderStatus: string | null;
  cumQty: number | null;
  /** In ms. */
  time: number;
  trade: { execId: string; tradeId: string; lastQty: number; lastPrice: number; maker: boolean; fee: number; feeAsset: string } | null;
}

/** The envelope: the error strings, or the result. */
export type KrakenEnvelope = { kind: "error"; errors: string[] } | { kind: "ok"; result: unknown };

type Obj = Record<string, unknown>;

function object(v: unknown, what: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new KrakenParseError(`${what}: expected an object`);
  return v as Obj;
}

function text(o: Obj, key: string): string {
  const v = o[key];
  if (typeof v !== "string") throw new KrakenParseError(`field "${key}": expected a string`);
  return v;
}

function decimal(o: Obj, key: string): number {
  const v = o[key];
  if (typeof v !== "string" || !/^-?\d+(\.\d+)?$/.test(v)) throw new KrakenParseError(`field "${key}": expected a decimal string`);
  return Number(v);
}

function num(o: Obj, key: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new KrakenParseError(`field "${key}": expected a number`);
  return v;
}

function optNum(o: Obj, key: string): number | null {
  return o[key] === undefined ? null : num(o, key);
}

function buySell(v: string, key: string): "buy" | "sell" {
  if (v !== "buy" && v !== "sell") throw new KrakenParseError(`field "${key}": expected buy or sell`);
  return v;
}

/** The `{error, result}` envelope. */
export function parseEnvelope(value: unknown): KrakenEnvelope {
  const o = object(value, "answer");
  if (!Array.isArray(o.error) || !o.error.every((e) => typeof e === "string")) throw new KrakenParseError('field "error": expected an array of strings');
  if (o.error.length > 0) return { kind: "error", errors: o.error as string[] };
  if (o.result === undefined) throw new KrakenParseError('field "result": missing');
  return { kind: "ok", result: o.result };
}

/** `AddOrder`: the txids (empty for a `validate` order, which is checked and never executed). */
export function parseAddOrder(value: unknown): { txid: string[]; description: string } {
  const o = object(value, "AddOrder result");
  const descr = object(o.descr, "descr");
  if (o.txid === undefined) return { txid: [], description: text(descr, "order") };
  if (!Array.isArray(o.txid) || !o.txid.every((t) => typeof t === "string")) throw new KrakenParseError('field "txid": expected an array of strings');
  return { txid: o.txid as string[], description: text(descr, "order") };
}

/** `CancelOrder`: how many orders were canceled. */
export function parseCancelOrder(value: unknown): { count: number; pending: boolean } {
  const o = object(value, "CancelOrder result");
  return { count: num(o, "count"), pending: o.pending === true };
}

const STATUSES = new Set(["pending", "open", "closed", "canceled", "expired"]);

function parseOrder(txid: string, value: unknown): KrakenOrder {
  const o = object(value, `order ${txid}`);
  const descr = object(o.descr, "descr");
  const status = text(o, "status");
  if (!STATUSES.has(status)) throw new KrakenParseError(`field "status": unknown order status "${status}"`);
  const trades = o.trades === undefined ? [] : o.trades;
  if (!Array.isArray(trades) || !trades.every((t) => typeof t === "string")) throw new KrakenParseError('field "trades": expected an array of strings');
  const clOrdId = o.cl_ord_id === undefined || o.cl_ord_id === null ? null : text(o, "cl_ord_id");
  return { txid, clOrdId, status: status as KrakenOrderStatus, pair: text(descr, "pair"), side: buySell(text(descr, "type"), "type"), ordertype: text(descr, "ordertype"), price: decimal(descr, "price"), vol: decimal(o, "vol"), volExec: decimal(o, "vol_exec"), time: Math.round(num(o, "opentm") * 1000), trades: trades as string[] };
}

/** Orders keyed by txid: `OpenOrders` (`open`), `ClosedOrders` (`closed`), or `QueryOrders` (the map itself). */
export function parseOrders(value: unknown): KrakenOrder[] {
  const o = object(value, "orders result");
  const map = o.open !== undefined ? object(o.open, "open") : o.closed !== undefined ? object(o.closed, "closed") : o;
  return Object.entries(map).map(([txid, v]) => parseOrder(txid, v));
}

/** `Balance`: asset → amount. */
export function parseBalance(value: unknown): Record<string, number> {
  const o = object(value, "Balance result");
  return Object.fromEntries(Object.keys(o).map((asset) => [asset, decimal(o, asset)]));
}

/** `TradesHistory`: the `trades` map. */
export function parseTradesHistory(value: unknown): KrakenTrade[] {
  const trades = object(object(value, "TradesHistory result").trades, "trades");
  return Object.entries(trades).map(([tradeId, v]) => {
    const t = object(v, `trade ${tradeId}`);
    return { tradeId, ordertxid: text(t, "ordertxid"), pair: text(t, "pair"), price: decimal(t, "price"), vol: decimal(t, "vol"), fee: decimal(t, "fee"), time: Math.round(num(t, "time") * 1000), maker: t.maker === true };
  });
}

/** `GetWebSocketsToken`. */
export function parseWebSocketsToken(value: unknown): { token: string; expires: number } {
  const o = object(value, "GetWebSocketsToken result");
  return { token: text(o, "token"), expires: num(o, "expires") };
}

/** `GetApiKeyInfo`: the key's name and permissions (`query-funds`, `modify-trades`, `withdraw-funds`…). */
export function parseApiKeyInfo(value: unknown): { name: string; permissions: string[] } {
  const o = object(value, "GetApiKeyInfo result");
  if (!Array.isArray(o.permissions) || !o.permissions.every((p) => typeof p === "string")) throw new KrakenParseError('field "permissions": expected an array of strings');
  return { name: text(o, "apiKeyName"), permissions: o.permissions as string[] };
}

/** `CancelAllOrdersAfter`: when the switch fires (ms; 0 when it was disarmed). */
export function parseCancelAfter(value: unknown): { currentTime: number; triggerTime: number } {
  const o = object(value, "CancelAllOrdersAfter result");
  const at = (k: string) => (text(o, k) === "0" ? 0 : Date.parse(text(o, k)));
  return { currentTime: at("currentTime"), triggerTime: at("triggerTime") };
}

function parseExecution(value: unknown): KrakenExecution {
  const o = object(value, "execution");
  const execType = text(o, "exec_type");
  const fees = Array.isArray(o.fees) ? o.fees.map((f) => object(f, "fee")) : [];
  const trade = execType === "trade" ? { execId: text(o, "exec_id"), tradeId: String(num(o, "trade_id")), lastQty: num(o, "last_qty"), lastPrice: num(o, "last_price"), maker: text(o, "liquidity_ind") === "m", fee: fees.reduce((s, f) => s + num(f, "qty"), 0), feeAsset: fees[0] ? text(fees[0], "asset") : "" } : null;
  const opt = (k: string) => (o[k] === undefined ? null : text(o, k));
  const side = opt("side");
  const time = Date.parse(text(o, "timestamp"));
  if (!Number.isFinite(time)) throw new KrakenParseError('field "timestamp": expected an RFC 3339 time');
  return { execType, orderId: text(o, "order_id"), clOrdId: opt("cl_ord_id"), symbol: opt("symbol"), side: side === null ? null : buySell(side, "side"), orderQty: optNum(o, "order_qty"), limitPrice: optNum(o, "limit_price"), orderStatus: opt("order_status"), cumQty: optNum(o, "cum_qty"), time, trade };
}

/** A WS v2 message: an `executions` snapshot/update, or anything else (heartbeat, subscribe answer). */
export type KrakenWsMessage = { kind: "executions"; type: "snapshot" | "update"; sequence: number | null; executions: KrakenExecution[] } | { kind: "other"; channel: string };

/** One WS v2 message. */
export function parseWsMessage(value: unknown): KrakenWsMessage {
  const o = object(value, "message");
  if (o.channel !== "executions") return { kind: "other", channel: typeof o.channel === "string" ? o.channel : typeof o.method === "string" ? o.method : "" };
  const type = text(o, "type");
  if (type !== "snapshot" && type !== "update") throw new KrakenParseError(`field "type": expected snapshot or update`);
  if (!Array.isArray(o.data)) throw new KrakenParseError('field "data": expected an array');
  return { kind: "executions", type, sequence: optNum(o, "sequence"), executions: o.data.map(parseExecution) };
}

/** The answer to a WS v2 request (`add_order`, `cancel_order`), or null for a message that answers none (no `req_id`). */
export function parseWsRequestAnswer(value: unknown): { reqId: number; method: string; success: true; result: unknown } | { reqId: number; method: string; success: false; error: string } | null {
  const o = object(value, "message");
  if (o.req_id === undefined || o.channel !== undefined) return null;
  const reqId = num(o, "req_id");
  const method = typeof o.method === "string" ? o.method : "";
  if (o.success === true) return { reqId, method, success: true, result: o.result };
  if (o.success === false) return { reqId, method, success: false, error: text(o, "error") };
  throw new KrakenParseError('field "success": expected a boolean');
}

/** An `add_order` result: the order id (absent for a `validate` order). */
export function parseWsAddOrder(value: unknown): { orderId: string | null; clOrdId: string | null } {
  const o = object(value, "add_order result");
  return { orderId: o.order_id === undefined ? null : text(o, "order_id"), clOrdId: o.cl_ord_id === undefined ? null : text(o, "cl_ord_id") };
}

/** The order rules of one pair (`AssetPairs`). */
export interface KrakenPairRules {
  /** The key Kraken lists the pair under (`XXBTZUSD`). */
  pair: string;
  altname: string;
  wsname: string;
  ordermin: number;
  costmin: number;
  tickSize: number;
  lotDecimals: number;
}

/** Public `AssetPairs`: each pair's order rules. */
export function parseAssetPairs(value: unknown): KrakenPairRules[] {
  const o = object(value, "AssetPairs result");
  return Object.entries(o).map(([pair, v]) => {
    const p = object(v, `pair ${pair}`);
    return { pair, altname: text(p, "altname"), wsname: text(p, "wsname"), ordermin: decimal(p, "ordermin"), costmin: p.costmin === undefined ? 0 : decimal(p, "costmin"), tickSize: decimal(p, "tick_size"), lotDecimals: num(p, "lot_decimals") };
  });
}
