/**
 * The Kraken spot execution adapter: orders sent over the authenticated WebSocket v2 (`add_order` /
 * `cancel_order` with `cl_ord_id`, {@link KrakenWsTrader}) or, with `transport: "rest"`, REST
 * `AddOrder` / `CancelOrder`; in the `validate` environment every order carries `validate` and is
 * checked, never executed. `OpenOrders` /
 * `ClosedOrders` by `cl_ord_id`, `TradesHistory`, `Balance`, `AssetPairs` rules checked before sending,
 * `CancelAllOrdersAfter` (the dead-man's switch, {@link KrakenExecutionAdapter.armDeadMan}), and the
 * WebSocket v2 `executions` channel authenticated with a `GetWebSocketsToken` token. Anything that is
 * not a clear answer is `unknown`, resolved by query on the client order id, never by re-sending.
 */
import WebSocket from "ws";
import type { TradingOrder } from "../../../../common/trading/orders.ts";
import type { OrderStatus } from "../../../../common/trading/state-machine.ts";
import type { ExecutionAdapter, PlaceResult, QueryResult, UserStreamHandlers, VenueFill, VenueOrderState } from "../../../trading/live/adapter.ts";
import { describeKraken, KrakenPrivateClient, redactKraken, type KrakenKey, type KrakenOutcome } from "./client.ts";
import { KrakenTradingCounters, type KrakenTier } from "./rate-counter.ts";
import { KrakenWsTrader } from "./ws-orders.ts";
import { KrakenParseError, parseAddOrder, parseAssetPairs, parseBalance, parseCancelAfter, parseOrders, parseTradesHistory, parseWebSocketsToken, parseWsAddOrder, parseWsMessage, type KrakenExecution, type KrakenOrder, type KrakenPairRules, type KrakenTrade } from "./parse.ts";

/** Where a Kraken environment lives. */
export interface KrakenEndpoints {
  rest: string;
  /** The authenticated WebSocket v2 (`.../v2`). */
  wsAuth: string;
}

/** `BTC/USD` → `XBTUSD` (Kraken's altname). */
export function krakenPair(unified: string): string {
  return unified.toUpperCase().split("/").map((a) => (a === "BTC" ? "XBT" : a)).join("");
}

function decimalsOf(step: number): number {
  return step <= 0 ? 8 : Math.max(0, Math.min(16, Math.ceil(-Math.log10(step) - 1e-9)));
}

function restStatus(o: KrakenOrder): OrderStatus {
  if (o.status === "closed") return "filled";
  if (o.status === "canceled") return "canceled";
  if (o.status === "expired") return "expired";
  return o.volExec > 0 ? "partially_filled" : "accepted";
}

const WS_STATUS: Record<string, OrderStatus> = { pending_new: "accepted", new: "accepted", partially_filled: "partially_filled", filled: "filled", canceled: "canceled", expired: "expired" };

function toFill(t: KrakenTrade, feeAsset: string): VenueFill {
  return { venueOrderId: t.ordertxid, tradeId: t.tradeId, price: t.price, qty: t.vol, fee: t.fee, feeAsset, time: t.time, maker: t.maker };
}

/**
 * An order's state after one `executions` entry: WS v2 updates carry only the fields that changed,
 * so what an entry lacks is kept from `prev` (the snapshot or an earlier update of the order).
 */
export function mergeExecution(prev: VenueOrderState | null, e: KrakenExecution, unified: (wsSymbol: string) => string = (s) => s): VenueOrderState {
  const status = e.orderStatus !== null ? (WS_STATUS[e.orderStatus] ?? "unknown") : (prev?.status ?? "unknown");
  return {
    clientOrderId: e.clOrdId ?? prev?.clientOrderId ?? "",
    venueOrderId: e.orderId,
    symbol: e.symbol !== null ? unified(e.symbol) : (prev?.symbol ?? ""),
    side: e.side ?? prev?.side ?? "buy",
    status,
    size: e.orderQty ?? prev?.size ?? 0,
    price: e.limitPrice ?? prev?.price ?? null,
    filledSize: e.cumQty ?? (prev?.filledSize ?? 0) + (e.trade?.lastQty ?? 0),
    time: e.time,
  };
}

/** Kraken spot private API for one key and environment. */
export class KrakenExecutionAdapter implements ExecutionAdapter {
  readonly venue = "kraken";
  readonly client: KrakenPrivateClient;
  private readonly endpoints: KrakenEndpoints;
  private readonly validateOnly: boolean;
  private readonly key: KrakenKey;
  private readonly log: (line: string) => void;
  private rules = new Map<string, KrakenPairRules>();
  /** The last state of each order seen on the stream (updates carry only what changed). */
  private readonly streamed = new Map<string, VenueOrderState>();
  /** The WS v2 trading connection (null: orders go over REST). */
  private readonly trader: KrakenWsTrader | null;
  /** The per-pair trading counters of the key (orders wait their turn; cancels are counted, never held). */
  private readonly trading: KrakenTradingCounters;
  private readonly maxBudgetWaitMs: number;

  /**
   * `transport` is how orders are sent (default `ws`); `wsTimeoutMs` how long a WS request waits for
   * its answer; `tier` the key's verification tier (rate counters; default `starter`).
   */
  constructor(endpoints: KrakenEndpoints, key: KrakenKey, opts: { validate?: boolean; log?: (line: string) => void; transport?: "ws" | "rest"; wsTimeoutMs?: number; tier?: KrakenTier; maxBudgetWaitMs?: number; now?: () => number } = {}) {
    this.endpoints = endpoints;
    this.key = key;
    this.validateOnly = opts.validate === true;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.maxBudgetWaitMs = opts.maxBudgetWaitMs ?? 2000;
    this.trading = new KrakenTradingCounters(opts.tier ?? "starter", opts.now ?? Date.now);
    this.client = new KrakenPrivateClient({ baseUrl: endpoints.rest, key, log: this.log, tier: opts.tier ?? "starter", maxBudgetWaitMs: this.maxBudgetWaitMs, ...(opts.now ? { now: opts.now } : {}) });
    this.trader = opts.transport === "rest" ? null : new KrakenWsTrader({ url: endpoints.wsAuth, token: () => this.wsToken(), log: this.log, ...(opts.wsTimeoutMs ? { timeoutMs: opts.wsTimeoutMs } : {}) });
  }

  private async wsToken(): Promise<string> {
    const t = await this.client.call("GetWebSocketsToken");
    if (t.kind !== "ok") throw new Error(`kraken GetWebSocketsToken: ${describeKraken(t)}`);
    return parseWebSocketsToken(t.result).token;
  }

  /** Closes the WS v2 trading connection. */
  close(): void {
    this.trader?.close();
  }

  async prepare(): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`${this.endpoints.rest}/0/public/AssetPairs`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as { error?: unknown; result?: unknown };
      this.rules = new Map(parseAssetPairs(body.result).map((r) => [r.altname, r]));
    } catch (err) {
      throw new Error(`kraken AssetPairs: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const b = await this.client.call("Balance");
    if (b.kind !== "ok") throw new Error(`kraken key refused: ${describeKraken(b)}`);
  }

  check(order: TradingOrder, reference: number | null): { rule: string; reason: string } | null {
    const r = this.rules.get(krakenPair(order.symbol));
    if (!r) return { rule: "symbol", reason: `kraken has no pair ${order.symbol}` };
    if (order.size < r.ordermin) return { rule: "ordermin", reason: `size ${order.size} is under kraken's minimum ${r.ordermin}` };
    const lot = 10 ** -r.lotDecimals;
    if (Math.abs(Math.round(order.size / lot) * lot - order.size) > lot * 1e-6) return { rule: "lot_decimals", reason: `size ${order.size} has more than ${r.lotDecimals} decimals` };
    const price = order.type === "market" ? reference : order.price;
    if (order.type !== "market" && price !== null && Math.abs(Math.round(price / r.tickSize) * r.tickSize - price) > r.tickSize * 1e-6) return { rule: "tick_size", reason: `price ${price} is off kraken's tick ${r.tickSize}` };
    if (price !== null && price * order.size < r.costmin) return { rule: "costmin", reason: `notional ${price * order.size} is under kraken's minimum ${r.costmin}` };
    return null;
  }

  async place(order: TradingOrder): Promise<PlaceResult> {
    const pair = krakenPair(order.symbol);
    const wait = this.trading.reserveAdd(pair, order.id, this.maxBudgetWaitMs);
    if (wait === null) {
      const ms = this.trading.counter(pair).waitMs(1);
      return { kind: "throttled", retryAfterMs: ms, reason: `kraken rate limit: an order on ${pair} would reach the trading counter's threshold for ${ms} ms (not sent)` };
    }
    if (wait > 0) await new Promise<void>((r) => setTimeout(r, wait));
    return this.send(order);
  }

  private async send(order: TradingOrder): Promise<PlaceResult> {
    if (this.trader) return this.answered(order, await this.trader.request("add_order", this.wsOrderParams(order)), "add_order", (r) => parseWsAddOrder(r).orderId ?? "validated");
    const r = this.rules.get(krakenPair(order.symbol));
    const params: [string, string][] = [["ordertype", order.type === "stop" ? "stop-loss" : order.type], ["type", order.side], ["volume", order.size.toFixed(r?.lotDecimals ?? 8)], ["pair", krakenPair(order.symbol)]];
    if (order.type !== "market" && order.price !== null) params.push(["price", order.price.toFixed(decimalsOf(r?.tickSize ?? 0))]);
    if (order.type === "limit" && order.tif !== "GTC") params.push(["timeinforce", order.tif]);
    params.push(["cl_ord_id", order.id]);
    if (this.validateOnly) params.push(["validate", "true"]);
    return this.answered(order, await this.client.call("AddOrder", params), "AddOrder", (result) => parseAddOrder(result).description);
  }

  /** The WS v2 `add_order` params of an order. */
  private wsOrderParams(order: TradingOrder): Record<string, unknown> {
    const r = this.rules.get(krakenPair(order.symbol));
    const params: Record<string, unknown> = { order_type: order.type === "stop" ? "stop-loss" : order.type, side: order.side, order_qty: Number(order.size.toFixed(r?.lotDecimals ?? 8)), symbol: order.symbol.toUpperCase(), cl_ord_id: order.id };
    const price = order.price === null ? null : Number(order.price.toFixed(decimalsOf(r?.tickSize ?? 0)));
    if (order.type === "limit") params.limit_price = price;
    if (order.type === "stop") params.triggers = { reference: "last", price };
    if (order.type === "limit" && order.tif !== "GTC") params.time_in_force = order.tif.toLowerCase();
    if (this.validateOnly) params.validate = true;
    return params;
  }

  /** Classifies the answer to an order request (REST or WS); a taken order's state comes from a query. */
  private async answered(order: TradingOrder, a: KrakenOutcome, method: string, describe: (result: unknown) => string): Promise<PlaceResult> {
    if (a.kind === "error") return { kind: "rejected", reason: describeKraken(a) };
    if (a.kind === "throttled") return { kind: "throttled", retryAfterMs: a.retryAfterMs, reason: a.reason };
    if (a.kind === "unknown") return a;
    try {
      const description = describe(a.result);
      if (this.validateOnly) return { kind: "rejected", reason: `kraken validate: checked, not executed (${description})` };
    } catch (err) {
      if (!(err instanceof KrakenParseError)) throw err;
      this.log(`kraken ${method} answer did not parse (${err.message}): ${redactKraken(JSON.stringify(a.result ?? null).slice(0, 500), this.key.apiKey)}`);
      return { kind: "unknown", reason: `kraken ${method} answer did not parse (${err.message})` };
    }
    const q = await this.query(order);
    if (q.kind === "found") return { kind: "accepted", state: q.state, fills: q.fills };
    return { kind: "unknown", reason: q.kind === "missing" ? "kraken took the order but does not list it yet" : q.reason };
  }

  async query(order: TradingOrder): Promise<QueryResult> {
    for (const method of ["OpenOrders", "ClosedOrders"]) {
      const r = await this.client.call(method, [["cl_ord_id", order.id], ["trades", "true"]]);
      const found = await this.found(r, order.symbol);
      if (found.kind !== "missing") return found;
    }
    return { kind: "missing" };
  }

  private async found(r: KrakenOutcome, unified: string): Promise<QueryResult> {
    if (r.kind !== "ok") return { kind: "unknown", reason: describeKraken(r) };
    let o: KrakenOrder | undefined;
    try {
      o = parseOrders(r.result)[0];
    } catch (err) {
      if (!(err instanceof KrakenParseError)) throw err;
      return { kind: "unknown", reason: `kraken orders answer did not parse (${err.message})` };
    }
    if (!o) return { kind: "missing" };
    const fills = o.volExec > 0 ? await this.trades(o, unified) : [];
    if (fills === null) return { kind: "unknown", reason: "kraken TradesHistory did not answer" };
    return { kind: "found", state: this.toState(o, unified), fills };
  }

  private toState(o: KrakenOrder, unified: string): VenueOrderState {
    return { clientOrderId: o.clOrdId ?? "", venueOrderId: o.txid, symbol: unified, side: o.side, status: restStatus(o), size: o.vol, price: o.price > 0 ? o.price : null, filledSize: o.volExec, time: o.time };
  }

  /** The executions of one order (`TradesHistory`, kept to the order's trades); null when the venue did not answer. */
  async trades(o: KrakenOrder, unified: string): Promise<VenueFill[] | null> {
    const r = await this.client.call("TradesHistory", [["start", String(Math.floor(o.time / 1000) - 1)]]);
    if (r.kind !== "ok") return null;
    try {
      const quote = unified.split("/")[1] ?? "";
      return parseTradesHistory(r.result).filter((t) => t.ordertxid === o.txid).map((t) => toFill(t, quote));
    } catch {
      return null;
    }
  }

  async cancel(order: TradingOrder): Promise<QueryResult> {
    this.trading.cancelled(krakenPair(order.symbol), order.id);
    const r = this.trader ? await this.trader.request("cancel_order", { cl_ord_id: [order.id] }) : await this.client.call("CancelOrder", [["cl_ord_id", order.id]]);
    if (r.kind === "unknown" || r.kind === "throttled") return { kind: "unknown", reason: describeKraken(r) };
    return this.query(order);
  }

  async openOrders(symbols: readonly string[]): Promise<VenueOrderState[]> {
    const r = await this.client.call("OpenOrders");
    if (r.kind !== "ok") throw new Error(`kraken OpenOrders: ${describeKraken(r)}`);
    const bySymbol = new Map(symbols.map((s) => [krakenPair(s), s]));
    return parseOrders(r.result).flatMap((o) => (bySymbol.has(o.pair) ? [this.toState(o, bySymbol.get(o.pair)!)] : []));
  }

  async balances(): Promise<Record<string, { free: number; locked: number }>> {
    const r = await this.client.call("Balance");
    if (r.kind !== "ok") throw new Error(`kraken Balance: ${describeKraken(r)}`);
    return Object.fromEntries(Object.entries(parseBalance(r.result)).map(([asset, v]) => [asset, { free: v, locked: 0 }]));
  }

  /** Arms (or, with 0, disarms) `CancelAllOrdersAfter`: every open order is canceled `timeoutS` after the last call unless re-armed. */
  async armDeadMan(timeoutS: number): Promise<{ triggerTime: number }> {
    const r = await this.client.call("CancelAllOrdersAfter", [["timeout", String(Math.max(0, Math.floor(timeoutS)))]]);
    if (r.kind !== "ok") throw new Error(`kraken CancelAllOrdersAfter: ${describeKraken(r)}`);
    return { triggerTime: parseCancelAfter(r.result).triggerTime };
  }

  async openStream(handlers: UserStreamHandlers): Promise<{ close(): void }> {
    const token = await this.wsToken();
    const ws = new WebSocket(this.endpoints.wsAuth);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    await new Promise<void>((resolve, reject) => {
      let subscribed = false;
      ws.on("message", (raw: Buffer) => {
        if (subscribed) return this.onStreamMessage(raw.toString(), handlers);
        const m = JSON.parse(raw.toString()) as { method?: string; success?: boolean; error?: string };
        if (m.method !== "subscribe") return;
        subscribed = m.success === true;
        if (subscribed) resolve();
        else reject(new Error(`kraken executions: ${m.error ?? "subscribe refused"}`));
      });
      ws.send(JSON.stringify({ method: "subscribe", params: { channel: "executions", token, snap_orders: true, snap_trades: false } }));
    });
    ws.on("close", () => handlers.closed("kraken executions stream closed"));
    ws.on("error", () => undefined);
    return {
      close: () => {
        ws.terminate();
        this.close();
      },
    };
  }

  private onStreamMessage(text: string, handlers: UserStreamHandlers): void {
    try {
      const m = parseWsMessage(JSON.parse(text) as unknown);
      if (m.kind !== "executions") return;
      for (const e of m.executions) handlers.event({ kind: "order", state: this.streamState(e), fill: e.trade ? { venueOrderId: e.orderId, tradeId: e.trade.tradeId, price: e.trade.lastPrice, qty: e.trade.lastQty, fee: e.trade.fee, feeAsset: e.trade.feeAsset, time: e.time, maker: e.trade.maker } : null });
    } catch (err) {
      this.log(`kraken executions: ignored a frame that did not parse (${err instanceof Error ? err.message : String(err)}): ${redactKraken(text.slice(0, 500), this.key.apiKey)}`);
    }
  }

  private streamState(e: KrakenExecution): VenueOrderState {
    const state = mergeExecution(this.streamed.get(e.orderId) ?? null, e, (s) => this.unifiedOf(s));
    this.streamed.set(e.orderId, state);
    return state;
  }

  private unifiedOf(wsSymbol: string): string {
    for (const r of this.rules.values()) if (r.wsname === wsSymbol) return r.wsname.replace(/^XBT\//, "BTC/");
    return wsSymbol;
  }
}
