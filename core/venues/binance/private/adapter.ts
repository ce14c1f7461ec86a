/**
 * The Binance spot execution adapter: `POST/DELETE/GET /api/v3/order` (by `newClientOrderId` /
 * `origClientOrderId`), `/openOrders`, `/myTrades`, `/account`, `exchangeInfo` filters checked before
 * sending, and the user-data stream over the WebSocket API (`userDataStream.subscribe.signature`:
 * `executionReport`, `outboundAccountPosition`). Answers are mapped onto the order model; anything
 * that is not a clear answer is `unknown`.
 */
import WebSocket from "ws";
import type { TradingOrder } from "../../../../common/trading/orders.ts";
import type { OrderStatus } from "../../../../common/trading/state-machine.ts";
import type { ExecutionAdapter, PlaceResult, QueryResult, UserStreamHandlers, VenueFill, VenueOrderState } from "../../../trading/live/adapter.ts";
import { BinancePrivateClient, describeOutcome, redact, type RestOutcome } from "./client.ts";
import { checkFilters, parseExchangeFilters, type SymbolFilters } from "./filters.ts";
import { BinanceParseError, parseAccountBalances, parseMyTrade, parseOrder, parseOrderFills, parseUserEvent, type BinanceOrder, type BinanceOrderStatus, type BinanceTrade } from "./parse.ts";
import { queryString, signPayload, type BinanceKey } from "./sign.ts";

/** Where a Binance environment lives. */
export interface BinanceEndpoints {
  rest: string;
  /** The WebSocket API (`.../ws-api/v3`). */
  wsApi: string;
}

const STATUS: Record<BinanceOrderStatus, OrderStatus> = {
  NEW: "accepted",
  PENDING_NEW: "accepted",
  PARTIALLY_FILLED: "partially_filled",
  FILLED: "filled",
  CANCELED: "canceled",
  PENDING_CANCEL: "canceled",
  REJECTED: "rejected",
  EXPIRED: "expired",
  EXPIRED_IN_MATCH: "expired",
};

/** `BTC/USDT` → `BTCUSDT`. */
export function venueSymbol(unified: string): string {
  return unified.replace("/", "").toUpperCase();
}

/** A number written with the decimals of its grid step (`0.001` → 3 decimals). */
export function gridText(value: number, step: number): string {
  if (step <= 0) return String(value);
  const decimals = Math.max(0, Math.min(16, Math.ceil(-Math.log10(step) - 1e-9)));
  return value.toFixed(decimals);
}

function toState(o: BinanceOrder, unified: string): VenueOrderState {
  return { clientOrderId: o.clientOrderId, venueOrderId: String(o.orderId), symbol: unified, side: o.side === "BUY" ? "buy" : "sell", status: STATUS[o.status], size: o.origQty, price: o.price > 0 ? o.price : null, filledSize: o.executedQty, time: o.time };
}

function toFill(t: BinanceTrade): VenueFill {
  return { venueOrderId: String(t.orderId), tradeId: String(t.tradeId), price: t.price, qty: t.qty, fee: t.commission, feeAsset: t.commissionAsset, time: t.time, maker: t.isMaker };
}

/** Binance spot private API for one key and environment. */
export class BinanceExecution implements ExecutionAdapter {
  readonly venue = "binance";
  readonly client: BinancePrivateClient;
  private readonly key: BinanceKey;
  private readonly endpoints: BinanceEndpoints;
  private filters = new Map<string, SymbolFilters>();
  private readonly unified = new Map<string, string>();
  private readonly log: (line: string) => void;

  constructor(endpoints: BinanceEndpoints, key: BinanceKey, log?: (line: string) => void) {
    this.endpoints = endpoints;
    this.key = key;
    this.log = log ?? ((line) => process.stderr.write(`${line}\n`));
    this.client = new BinancePrivateClient({ baseUrl: endpoints.rest, key, ...(log ? { log } : {}) });
  }

  async prepare(): Promise<void> {
    await this.client.syncTime();
    const info = await this.client.public("/api/v3/exchangeInfo");
    if (info.kind !== "ok") throw new Error(`binance exchangeInfo: ${describeOutcome(info)}`);
    this.filters = parseExchangeFilters(info.body);
    for (const f of this.filters.values()) this.unified.set(f.symbol, `${f.baseAsset}/${f.quoteAsset}`);
  }

  /** The filters of a unified symbol. */
  filtersOf(symbol: string): SymbolFilters | undefined {
    return this.filters.get(venueSymbol(symbol));
  }

  check(order: TradingOrder, reference: number | null): { rule: string; reason: string } | null {
    const f = this.filtersOf(order.symbol);
    if (!f) return { rule: "symbol", reason: `binance has no symbol ${order.symbol}` };
    return checkFilters(f, order.size, order.type === "market" ? null : order.price, reference);
  }

  async place(order: TradingOrder): Promise<PlaceResult> {
    const f = this.filtersOf(order.symbol);
    const params: [string, string][] = [["symbol", venueSymbol(order.symbol)], ["side", order.side === "buy" ? "BUY" : "SELL"]];
    params.push(["type", order.type === "market" ? "MARKET" : order.type === "limit" ? "LIMIT" : "STOP_LOSS"]);
    if (order.type === "limit") params.push(["timeInForce", order.tif]);
    params.push(["quantity", gridText(order.size, f?.stepSize ?? 0)]);
    if (order.type === "limit" && order.price !== null) params.push(["price", gridText(order.price, f?.tickSize ?? 0)]);
    if (order.type === "stop" && order.price !== null) params.push(["stopPrice", gridText(order.price, f?.tickSize ?? 0)]);
    params.push(["newClientOrderId", order.id], ["newOrderRespType", "FULL"]);
    const r = await this.client.signed("POST", "/api/v3/order", params, { "X-MBX-USED-WEIGHT-1M": 1, "X-MBX-ORDER-COUNT-10S": 1, "X-MBX-ORDER-COUNT-1D": 1 });
    if (r.kind === "error") return { kind: "rejected", reason: `binance ${r.error.code}: ${r.error.msg}` };
    if (r.kind === "throttled") return { kind: "throttled", retryAfterMs: r.status === 418 ? null : r.retryAfterS * 1000, reason: describeOutcome(r) };
    if (r.kind === "unknown") return r;
    return this.orderAnswer(r.body, order.symbol);
  }

  private orderAnswer(body: unknown, unified: string): PlaceResult {
    try {
      const o = parseOrder(body);
      return { kind: "accepted", state: toState(o, unified), fills: parseOrderFills(body, o).map(toFill) };
    } catch (err) {
      if (!(err instanceof BinanceParseError)) throw err;
      this.log(`binance order answer did not parse (${err.message}): ${redact(JSON.stringify(body).slice(0, 500), this.key.apiKey)}`);
      return { kind: "unknown", reason: `binance order answer did not parse (${err.message})` };
    }
  }

  async query(order: TradingOrder): Promise<QueryResult> {
    const symbol = venueSymbol(order.symbol);
    const r = await this.client.signed("GET", "/api/v3/order", [["symbol", symbol], ["origClientOrderId", order.id]], { "X-MBX-USED-WEIGHT-1M": 4 });
    return this.found(r, order.symbol);
  }

  async cancel(order: TradingOrder): Promise<QueryResult> {
    const r = await this.client.signed("DELETE", "/api/v3/order", [["symbol", venueSymbol(order.symbol)], ["origClientOrderId", order.id]], { "X-MBX-USED-WEIGHT-1M": 1 });
    if (r.kind === "error" && r.error.code === -2011) return this.query(order);
    return this.found(r, order.symbol);
  }

  private async found(r: RestOutcome, unified: string): Promise<QueryResult> {
    if (r.kind === "error" && r.error.code === -2013) return { kind: "missing" };
    if (r.kind !== "ok") return { kind: "unknown", reason: describeOutcome(r) };
    const answer = this.orderAnswer(r.body, unified);
    if (answer.kind !== "accepted") return { kind: "unknown", reason: answer.reason };
    const fills = answer.state.filledSize > 0 ? await this.trades(unified, answer.state.venueOrderId) : [];
    if (fills === null) return { kind: "unknown", reason: "binance myTrades did not answer" };
    return { kind: "found", state: answer.state, fills };
  }

  /** The executions of one order (`/myTrades?orderId=`); null when the venue did not answer. */
  async trades(unified: string, venueOrderId: string): Promise<VenueFill[] | null> {
    const r = await this.client.signed("GET", "/api/v3/myTrades", [["symbol", venueSymbol(unified)], ["orderId", venueOrderId]], { "X-MBX-USED-WEIGHT-1M": 5 });
    if (r.kind !== "ok" || !Array.isArray(r.body)) return null;
    try {
      return r.body.map((t) => toFill(parseMyTrade(t)));
    } catch {
      return null;
    }
  }

  async openOrders(symbols: readonly string[]): Promise<VenueOrderState[]> {
    const out: VenueOrderState[] = [];
    for (const s of symbols) {
      const r = await this.client.signed("GET", "/api/v3/openOrders", [["symbol", venueSymbol(s)]], { "X-MBX-USED-WEIGHT-1M": 6 });
      if (r.kind !== "ok" || !Array.isArray(r.body)) throw new Error(`binance openOrders: ${describeOutcome(r)}`);
      out.push(...r.body.map((o) => toState(parseOrder(o), s)));
    }
    return out;
  }

  async balances(): Promise<Record<string, { free: number; locked: number }>> {
    const r = await this.client.signed("GET", "/api/v3/account", [["omitZeroBalances", "true"]], { "X-MBX-USED-WEIGHT-1M": 20 });
    if (r.kind !== "ok") throw new Error(`binance account: ${describeOutcome(r)}`);
    return Object.fromEntries(parseAccountBalances(r.body).map((b) => [b.asset, { free: b.free, locked: b.locked }]));
  }

  async openStream(handlers: UserStreamHandlers): Promise<{ close(): void }> {
    const ws = new WebSocket(this.endpoints.wsApi);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const timestamp = Date.now();
    const payload = queryString([["apiKey", this.key.apiKey], ["timestamp", timestamp]]);
    ws.send(JSON.stringify({ id: "subscribe", method: "userDataStream.subscribe.signature", params: { apiKey: this.key.apiKey, timestamp, signature: signPayload(payload, this.key) } }));
    await new Promise<void>((resolve, reject) => {
      ws.once("message", (raw: Buffer) => {
        const m = JSON.parse(raw.toString()) as { status?: number; error?: { msg?: string } };
        if (m.status === 200) resolve();
        else reject(new Error(`binance user stream: ${m.error?.msg ?? `status ${String(m.status)}`}`));
      });
    });
    ws.on("message", (raw: Buffer) => this.onStreamMessage(raw.toString(), handlers));
    ws.on("close", () => handlers.closed("binance user stream closed"));
    ws.on("error", () => undefined);
    return { close: () => ws.terminate() };
  }

  private onStreamMessage(text: string, handlers: UserStreamHandlers): void {
    try {
      const e = parseUserEvent(JSON.parse(text) as unknown);
      if (e.kind === "account") handlers.event({ kind: "balances", balances: Object.fromEntries(e.position.balances.map((b) => [b.asset, { free: b.free, locked: b.locked }])) });
      if (e.kind !== "execution") return;
      const r = e.report;
      const unified = this.unified.get(r.symbol) ?? r.symbol;
      const clientOrderId = r.executionType === "CANCELED" && r.origClientOrderId ? r.origClientOrderId : r.clientOrderId;
      const state: VenueOrderState = { clientOrderId, venueOrderId: String(r.orderId), symbol: unified, side: r.side === "BUY" ? "buy" : "sell", status: STATUS[r.status], size: r.origQty, price: null, filledSize: r.cumulativeQty, time: r.eventTime };
      handlers.event({ kind: "order", state, fill: r.trade ? toFill(r.trade) : null });
    } catch (err) {
      this.log(`binance user stream: ignored a frame that did not parse (${err instanceof Error ? err.message : String(err)}): ${redact(text.slice(0, 500), this.key.apiKey)}`);
    }
  }
}
