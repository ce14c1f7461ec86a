/**
 * The Coinbase Advanced Trade execution adapter: `POST /api/v3/brokerage/orders` with
 * `client_order_id` and `order_configuration` (`market_market_ioc`, `limit_limit_gtc` /
 * `sor_limit_ioc`, `stop_limit_stop_limit_gtc`), `POST /orders/batch_cancel`,
 * `GET /orders/historical/{order_id}` and `/orders/historical/batch` (an order whose answer was lost
 * is found by its `client_order_id` among the product's recent orders), `/accounts`, `/products`
 * rules checked before sending, and the WebSocket `user` channel: `sequence_num` is checked (a
 * repeated number is dropped, a gap closes the stream so the order layer reconnects and reconciles),
 * and fills: an order's answer and queries list its executions from `/orders/historical/fills`
 * (venue trade id, liquidity indicator) where they add up to its totals; otherwise, and on the
 * stream, fills are the deltas of each order's cumulative quantity ({@link CumulativeFills}).
 */
import WebSocket from "ws";
import type { TradingOrder } from "../../../../common/trading/orders.ts";
import type { OrderStatus } from "../../../../common/trading/state-machine.ts";
import type { ExecutionAdapter, PlaceResult, QueryResult, UserStreamHandlers, VenueFill, VenueOrderState } from "../../../trading/live/adapter.ts";
import { CoinbasePrivateClient, describeCoinbase, redactCoinbase, type CoinbaseOutcome } from "./client.ts";
import { CumulativeFills, tradeFillsBeyond } from "./cumulative.ts";
import type { CdpKey } from "./jwt.ts";
import { CoinbaseParseError, parseAccounts, parseCreateOrder, parseGetOrder, parseFills, parseOrdersPage, parseProducts, parseWsMessage, type CoinbaseFill, type CoinbaseOrder, type CoinbaseProductRules } from "./parse.ts";

/** Where Coinbase lives. */
export interface CoinbaseEndpoints {
  rest: string;
  /** The user-data WebSocket. */
  wsUser: string;
}

/** A query string of `pairs` (a key may repeat). */
function queryOf(pairs: ReadonlyArray<readonly [string, string]>): string {
  return new URLSearchParams(pairs.map(([k, v]) => [k, v] as [string, string])).toString();
}

/** `BTC/USD` → `BTC-USD`. */
export function productId(unified: string): string {
  return unified.toUpperCase().replace("/", "-");
}

const STATUS: Record<CoinbaseOrder["status"], OrderStatus> = { PENDING: "accepted", QUEUED: "accepted", OPEN: "accepted", CANCEL_QUEUED: "accepted", FILLED: "filled", CANCELLED: "canceled", EXPIRED: "expired", FAILED: "rejected", UNKNOWN_ORDER_STATUS: "unknown" };

function decimals(step: number): number {
  return step <= 0 ? 8 : Math.max(0, Math.min(16, Math.ceil(-Math.log10(step) - 1e-9)));
}

function offGrid(value: number, step: number): boolean {
  return step > 0 && Math.abs(Math.round(value / step) * step - value) > step * 1e-6;
}

/** The `order_configuration` of an order, sizes and prices written on the product's grid. */
export function orderConfiguration(order: TradingOrder, rules: CoinbaseProductRules | undefined): Record<string, Record<string, string | boolean>> {
  const base_size = order.size.toFixed(decimals(rules?.baseIncrement ?? 0));
  const price = (order.price ?? 0).toFixed(decimals(rules?.priceIncrement ?? 0));
  if (order.type === "market") return { market_market_ioc: { base_size } };
  if (order.type === "stop") return { stop_limit_stop_limit_gtc: { base_size, limit_price: price, stop_price: price, stop_direction: order.side === "buy" ? "STOP_DIRECTION_STOP_UP" : "STOP_DIRECTION_STOP_DOWN" } };
  if (order.tif === "IOC") return { sor_limit_ioc: { base_size, limit_price: price } };
  return { limit_limit_gtc: { base_size, limit_price: price, post_only: false } };
}

/** Coinbase Advanced Trade private API for one CDP key. */
export class CoinbaseExecution implements ExecutionAdapter {
  readonly venue = "coinbase";
  readonly client: CoinbasePrivateClient;
  private readonly endpoints: CoinbaseEndpoints;
  private readonly key: CdpKey;
  private readonly log: (line: string) => void;
  private rules = new Map<string, CoinbaseProductRules>();
  /** Venue order id of each client order id seen. */
  private readonly ids = new Map<string, string>();
  private readonly cumulative = new CumulativeFills();

  constructor(endpoints: CoinbaseEndpoints, key: CdpKey, log?: (line: string) => void) {
    this.endpoints = endpoints;
    this.key = key;
    this.log = log ?? ((line) => process.stderr.write(`${line}\n`));
    this.client = new CoinbasePrivateClient({ baseUrl: endpoints.rest, key, log: this.log });
  }

  async prepare(): Promise<void> {
    await this.client.syncTime();
    const r = await this.client.request("GET", "/api/v3/brokerage/products", "product_type=SPOT");
    if (r.kind !== "ok") throw new Error(`coinbase products: ${describeCoinbase(r)}`);
    this.rules = new Map(parseProducts(r.body).map((p) => [p.productId, p]));
  }

  check(order: TradingOrder, reference: number | null): { rule: string; reason: string } | null {
    const r = this.rules.get(productId(order.symbol));
    if (!r) return { rule: "product", reason: `coinbase has no product ${productId(order.symbol)}` };
    if (order.size < r.baseMinSize) return { rule: "base_min_size", reason: `size ${order.size} is under coinbase's minimum ${r.baseMinSize}` };
    if (offGrid(order.size, r.baseIncrement)) return { rule: "base_increment", reason: `size ${order.size} is off coinbase's base increment ${r.baseIncrement}` };
    if (order.type !== "market" && order.price !== null && offGrid(order.price, r.priceIncrement)) return { rule: "price_increment", reason: `price ${order.price} is off coinbase's price increment ${r.priceIncrement}` };
    const price = order.type === "market" ? reference : order.price;
    if (price !== null && price * order.size < r.quoteMinSize) return { rule: "quote_min_size", reason: `notional ${price * order.size} is under coinbase's minimum ${r.quoteMinSize}` };
    return null;
  }

  async place(order: TradingOrder): Promise<PlaceResult> {
    const body = { client_order_id: order.id, product_id: productId(order.symbol), side: order.side === "buy" ? "BUY" : "SELL", order_configuration: orderConfiguration(order, this.rules.get(productId(order.symbol))) };
    const r = await this.client.request("POST", "/api/v3/brokerage/orders", "", body);
    if (r.kind === "error") return { kind: "rejected", reason: describeCoinbase(r) };
    if (r.kind === "throttled") return { kind: "throttled", retryAfterMs: r.retryAfterMs, reason: r.reason };
    if (r.kind === "unknown") return r;
    let answer;
    try {
      answer = parseCreateOrder(r.body);
    } catch (err) {
      if (!(err instanceof CoinbaseParseError)) throw err;
      this.log(`coinbase order answer did not parse (${err.message}): ${redactCoinbase(JSON.stringify(r.body).slice(0, 500), this.key.name)}`);
      return { kind: "unknown", reason: `coinbase order answer did not parse (${err.message})` };
    }
    if (!answer.success) return { kind: "rejected", reason: `coinbase ${answer.error}${answer.message ? `: ${answer.message}` : ""}` };
    this.ids.set(order.id, answer.orderId);
    const q = await this.byOrderId(order, answer.orderId);
    if (q.kind === "found") return { kind: "accepted", state: q.state, fills: q.fills };
    return { kind: "accepted", state: { clientOrderId: order.id, venueOrderId: answer.orderId, symbol: order.symbol, side: order.side, status: "accepted", size: order.size, price: order.price, filledSize: 0, time: Date.now() }, fills: [] };
  }

  async query(order: TradingOrder): Promise<QueryResult> {
    const known = this.ids.get(order.id);
    if (known) return this.byOrderId(order, known);
    const found = await this.findByClientId(order);
    if (found.kind !== "found") return found;
    this.ids.set(order.id, found.order.orderId);
    return { kind: "found", ...(await this.reportWithTrades(found.order, order)) };
  }

  /** `GET /orders/historical/{order_id}`. */
  private async byOrderId(order: TradingOrder, orderId: string): Promise<QueryResult> {
    const r = await this.client.request("GET", `/api/v3/brokerage/orders/historical/${encodeURIComponent(orderId)}`);
    if (r.kind === "error" && r.status === 404) return { kind: "missing" };
    const o = this.parsed(r, parseGetOrder, "order");
    return "reason" in o ? { kind: "unknown", reason: o.reason } : { kind: "found", ...(await this.reportWithTrades(o.value, order)) };
  }

  /**
   * {@link report}, with the new executions taken from `/orders/historical/fills` (trade ids, real
   * liquidity) when they can be listed and add up to the order's totals; else the cumulative delta.
   */
  private async reportWithTrades(o: CoinbaseOrder, known: TradingOrder): Promise<{ state: VenueOrderState; fills: VenueFill[] }> {
    this.cumulative.seed(o.orderId, known.filledSize, known.avgPrice, o.totalFees, o.filled);
    if (o.filled <= this.cumulative.filledOf(o.orderId) + 1e-12) return this.report(o, known);
    const trades = await this.tradesOf(o.orderId);
    const quote = this.unifiedOf(o.productId).split("/")[1] ?? "";
    const fills = trades ? tradeFillsBeyond(this.cumulative, { orderId: o.orderId, filled: o.filled, avgPrice: o.avgPrice, totalFees: o.totalFees, time: Date.now() }, trades, quote) : null;
    if (!fills) return this.report(o, known);
    return { state: this.report(o, known, false).state, fills };
  }

  /** `GET /orders/historical/fills?order_ids=` (up to five pages), or null when they cannot be read. */
  private async tradesOf(orderId: string): Promise<CoinbaseFill[] | null> {
    const out: CoinbaseFill[] = [];
    let cursor = "";
    for (let page = 0; page < 5; page++) {
      const query = queryOf([["order_ids", orderId], ["limit", "100"], ...(cursor ? ([["cursor", cursor]] as const) : [])]);
      const p = this.parsed(await this.client.request("GET", "/api/v3/brokerage/orders/historical/fills", query), parseFills, "fills");
      if ("reason" in p) return null;
      out.push(...p.value.fills.filter((f) => f.orderId === orderId));
      if (!p.value.cursor || p.value.fills.length === 0) return out;
      cursor = p.value.cursor;
    }
    return null;
  }

  /** Pages through the product's orders created since a minute before `order` for its `client_order_id`. */
  private async findByClientId(order: TradingOrder): Promise<{ kind: "found"; order: CoinbaseOrder } | { kind: "missing" } | { kind: "unknown"; reason: string }> {
    const start = new Date(Math.max(0, order.createdTime - 60_000)).toISOString();
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const query = queryOf([["product_ids", productId(order.symbol)], ["start_date", start], ["limit", "100"], ...(cursor ? ([["cursor", cursor]] as const) : [])]);
      const p = this.parsed(await this.client.request("GET", "/api/v3/brokerage/orders/historical/batch", query), parseOrdersPage, "orders");
      if ("reason" in p) return { kind: "unknown", reason: p.reason };
      const hit = p.value.orders.find((o) => o.clientOrderId === order.id);
      if (hit) return { kind: "found", order: hit };
      if (!p.value.cursor) return { kind: "missing" };
      cursor = p.value.cursor;
    }
    return { kind: "unknown", reason: "coinbase: too many orders to search for the client order id" };
  }

  /** Parses an `ok` outcome, logging a body that does not parse (redacted); the reason when there is no value. */
  private parsed<T>(r: CoinbaseOutcome, parse: (v: unknown) => T, what: string): { value: T } | { reason: string } {
    if (r.kind !== "ok") return { reason: describeCoinbase(r) };
    try {
      return { value: parse(r.body) };
    } catch (err) {
      if (!(err instanceof CoinbaseParseError)) throw err;
      this.log(`coinbase ${what} answer did not parse (${err.message}): ${redactCoinbase(JSON.stringify(r.body).slice(0, 500), this.key.name)}`);
      return { reason: `coinbase ${what} answer did not parse (${err.message})` };
    }
  }

  /**
   * The state of a venue order and the fill new in it. `known` (the order layer's order) seeds the
   * cumulative totals; without it (the stream, open orders) a fill is derived only for an order whose
   * totals were seeded here, and only when `withFill`; the others' fills come from the query that
   * the order layer's reconciliation makes.
   */
  private report(o: CoinbaseOrder, known: TradingOrder | null, withFill = true): { state: VenueOrderState; fills: VenueFill[] } {
    if (known) this.cumulative.seed(o.orderId, known.filledSize, known.avgPrice, o.totalFees, o.filled);
    const unified = this.unifiedOf(o.productId);
    const derive = withFill && (known !== null || this.cumulative.knows(o.orderId));
    const fill = derive ? this.cumulative.advance({ orderId: o.orderId, filled: o.filled, avgPrice: o.avgPrice, totalFees: o.totalFees, time: Date.now() }, unified.split("/")[1] ?? "", o.limitPrice !== null && o.status === "OPEN") : null;
    const status = STATUS[o.status] === "accepted" && o.filled > 0 ? "partially_filled" : STATUS[o.status];
    const state: VenueOrderState = { clientOrderId: o.clientOrderId, venueOrderId: o.orderId, symbol: unified, side: o.side === "BUY" ? "buy" : "sell", status, size: o.size ?? known?.size ?? o.filled, price: o.limitPrice, filledSize: o.filled, time: o.time };
    return { state, fills: fill ? [fill] : [] };
  }

  private unifiedOf(product: string): string {
    const r = this.rules.get(product);
    return r ? `${r.base}/${r.quote}` : product.replace("-", "/");
  }

  async cancel(order: TradingOrder): Promise<QueryResult> {
    let orderId = this.ids.get(order.id);
    if (!orderId) {
      const q = await this.query(order);
      if (q.kind !== "found") return q;
      orderId = q.state.venueOrderId;
    }
    const r = await this.client.request("POST", "/api/v3/brokerage/orders/batch_cancel", "", { order_ids: [orderId] });
    if (r.kind === "unknown" || r.kind === "throttled") return { kind: "unknown", reason: describeCoinbase(r) };
    return this.byOrderId(order, orderId);
  }

  async openOrders(symbols: readonly string[]): Promise<VenueOrderState[]> {
    const out: VenueOrderState[] = [];
    let cursor = "";
    do {
      const query = queryOf([["order_status", "OPEN"], ...symbols.map((s) => ["product_ids", productId(s)] as const), ["limit", "100"], ...(cursor ? ([["cursor", cursor]] as const) : [])]);
      const p = this.parsed(await this.client.request("GET", "/api/v3/brokerage/orders/historical/batch", query), parseOrdersPage, "orders");
      if ("reason" in p) throw new Error(`coinbase open orders: ${p.reason}`);
      out.push(...p.value.orders.map((o) => this.report(o, null, false).state));
      cursor = p.value.cursor;
    } while (cursor);
    return out;
  }

  async balances(): Promise<Record<string, { free: number; locked: number }>> {
    const out: Record<string, { free: number; locked: number }> = {};
    let cursor = "";
    do {
      const p = this.parsed(await this.client.request("GET", "/api/v3/brokerage/accounts", queryOf([["limit", "250"], ...(cursor ? ([["cursor", cursor]] as const) : [])])), parseAccounts, "accounts");
      if ("reason" in p) throw new Error(`coinbase accounts: ${p.reason}`);
      Object.assign(out, p.value.balances);
      cursor = p.value.cursor;
    } while (cursor);
    return out;
  }

  async openStream(handlers: UserStreamHandlers): Promise<{ close(): void }> {
    const ws = new WebSocket(this.endpoints.wsUser);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const products = [...this.rules.keys()];
    ws.send(JSON.stringify({ type: "subscribe", channel: "user", product_ids: products, jwt: this.client.wsJwt() }));
    ws.send(JSON.stringify({ type: "subscribe", channel: "heartbeats", jwt: this.client.wsJwt() }));
    const stream = { last: null as number | null, ended: false };
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => (ws.terminate(), reject(new Error("coinbase user channel: no snapshot within 10 s"))), 10_000);
      const done = { resolve: () => (clearTimeout(timer), resolve()), reject: (e: Error) => (clearTimeout(timer), ws.terminate(), reject(e)) };
      ws.on("message", (raw: Buffer) => this.onStreamMessage(raw.toString(), handlers, stream, ws, done));
      ws.once("close", () => done.reject(new Error("coinbase user channel closed before its snapshot")));
    });
    ws.on("close", () => handlers.closed(stream.ended ? "coinbase user channel: sequence gap" : "coinbase user channel closed"));
    ws.on("error", () => undefined);
    return { close: () => ws.terminate() };
  }

  private onStreamMessage(text: string, handlers: UserStreamHandlers, stream: { last: number | null; ended: boolean }, ws: WebSocket, start: { resolve(): void; reject(e: Error): void }): void {
    if (stream.ended) return;
    let m;
    try {
      m = parseWsMessage(JSON.parse(text) as unknown);
    } catch (err) {
      this.log(`coinbase user channel: ignored a frame that did not parse (${err instanceof Error ? err.message : String(err)}): ${redactCoinbase(text.slice(0, 500), this.key.name)}`);
      return;
    }
    if (m.kind === "other" && m.error !== null) return start.reject(new Error(`coinbase user channel: ${m.error}`));
    if (m.sequence !== null && stream.last !== null) {
      if (m.sequence <= stream.last) return;
      if (m.sequence > stream.last + 1) {
        this.log(`coinbase user channel: sequence gap (expected ${stream.last + 1}, got ${m.sequence}); reconnecting`);
        stream.ended = true;
        ws.terminate();
        return;
      }
    }
    if (m.sequence !== null) stream.last = m.sequence;
    if (m.kind !== "user") return;
    for (const e of m.events) {
      for (const o of e.orders) {
        const { state, fills } = this.report(o, null);
        handlers.event({ kind: "order", state, fill: fills[0] ?? null });
      }
      if (e.type === "snapshot") start.resolve();
    }
  }
}
