/**
 * The simulated Binance spot private API, on loopback: the signed REST endpoints (`/api/v3/order`
 * POST/GET/DELETE, `/openOrders`, `/myTrades`, `/account`, `/sapi/v1/account/apiRestrictions`, and
 * `/api/v3/time`, `/api/v3/exchangeInfo`), signatures checked against test keys (`-2015` unknown key,
 * `-1022` bad signature, `-1021` timestamp outside `recvWindow`), the user-data stream over the
 * WebSocket API (`/ws-api/v3`, `userDataStream.subscribe.signature`), matching in {@link SimAccount},
 * and faults injected on demand: an answer lost after the order executed, a 5xx or `-1007` after it
 * executed, 429 then 418, order queries failing, duplicate and out-of-order execution events, a private-stream disconnect
 * (fills during the gap are not pushed), rejected orders, and a skewed server clock.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { hmacSignature, splitSignature } from "./sign.ts";
import { SimAccount, orderJson, tradeJson, type SimOrder, type SimSymbol } from "./sim-book.ts";

/** A test key the simulator accepts. */
export interface SimKey {
  apiKey: string;
  secret: string;
  canWithdraw?: boolean;
}

/** A fault for the next matching request or event. */
export type PrivateFault =
  | { kind: "lose-answer" }
  | { kind: "error-after-execute"; status: number; code: number; msg: string }
  | { kind: "throttle"; status: 429 | 418; retryAfterS: number }
  | { kind: "reject"; code: number; msg: string }
  | { kind: "duplicate-events" }
  | { kind: "reorder-events" }
  /** The next order query (`GET /api/v3/order`) answers 503. */
  | { kind: "query-error" }
  /** The next new order executes and is answered with a body that is not an order. */
  | { kind: "malformed-answer" };

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** The Binance private simulator. */
export class BinancePrivateSim {
  readonly account: SimAccount;
  /** While true no user-data event is pushed (they are lost, as in a stream gap the client does not notice). */
  muteStreams = false;
  /** Added to the server's clock (skew). */
  clockSkewMs = 0;
  /** Every order request that reached matching, for assertions. */
  readonly orderRequests: string[] = [];
  /** Called when an order was executed, before its events and answer go out (tests crash a client here). */
  onExecuted: ((o: SimOrder) => void) | null = null;
  private readonly keys: Map<string, SimKey>;
  private readonly faults: PrivateFault[] = [];
  private readonly streams = new Set<WebSocket>();
  private server: http.Server | null = null;
  private wss: WebSocketServer | null = null;
  /** Request weight in the current minute and orders in the current 10 s, with their window starts. */
  private weight = { used: 0, window: 0 };
  private orderCount = { used: 0, window: 0 };

  constructor(symbols: readonly SimSymbol[], keys: readonly SimKey[], balances: Readonly<Record<string, number>>) {
    this.account = new SimAccount(symbols, balances);
    this.keys = new Map(keys.map((k) => [k.apiKey, k]));
  }

  /** Listens on 127.0.0.1 (any free port); returns the REST base and the WebSocket API URL. */
  async start(): Promise<{ rest: string; wsApi: string }> {
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: "/ws-api/v3" });
    this.wss.on("connection", (ws) => ws.on("message", (raw: Buffer) => this.onWsMessage(ws, raw.toString())));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return { rest: `http://127.0.0.1:${port}`, wsApi: `ws://127.0.0.1:${port}/ws-api/v3` };
  }

  async close(): Promise<void> {
    for (const ws of this.streams) ws.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Queues a fault for the next order request (answer faults) or the next events (event faults). */
  inject(fault: PrivateFault): void {
    this.faults.push(fault);
  }

  /** Drops every user-data stream connection (the stream disconnect fault). */
  dropStreams(): void {
    for (const ws of this.streams) ws.terminate();
    this.streams.clear();
  }

  /** Moves a price (resting orders it crosses fill) and pushes the events. */
  setPrice(symbol: string, price: number): void {
    this.account.setPrice(symbol, price, this.now());
    this.flushEvents();
  }

  /** Places an order that is not the workstation's (as if from the venue's website). */
  placeExternal(symbol: string, side: "BUY" | "SELL", qty: number, price: number, clientOrderId: string): SimOrder {
    const o = this.account.place({ symbol, side, type: "LIMIT", timeInForce: "GTC", qty, price, clientOrderId }, this.now());
    this.flushEvents();
    if ("code" in o) throw new Error(o.msg);
    return o;
  }

  private now(): number {
    return Date.now() + this.clockSkewMs;
  }

  private takeFault<K extends PrivateFault["kind"]>(...kinds: K[]): Extract<PrivateFault, { kind: K }> | undefined {
    const at = this.faults.findIndex((f) => (kinds as string[]).includes(f.kind));
    return at < 0 ? undefined : (this.faults.splice(at, 1)[0] as Extract<PrivateFault, { kind: K }>);
  }

  private flushEvents(): void {
    let events = this.account.drain();
    if (this.takeFault("duplicate-events")) events = events.flatMap((e) => [e, e]);
    if (this.takeFault("reorder-events")) events = events.reverse();
    if (this.muteStreams) return;
    for (const ws of this.streams) for (const e of events) ws.send(JSON.stringify({ subscriptionId: 0, event: e }));
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? "/", "http://sim");
    const answer = this.route(req.method ?? "GET", url, String(req.headers["x-mbx-apikey"] ?? ""));
    if (answer === null) {
      res.socket?.destroy();
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json", "x-mbx-used-weight-1m": String(this.weight.used), "x-mbx-order-count-10s": String(this.orderCount.used), ...(answer.headers ?? {}) });
    res.end(JSON.stringify(answer.body));
  }

  private route(method: string, url: URL, apiKey: string): Answer | null {
    count(this.weight, 60_000, this.now());
    if (url.pathname === "/api/v3/time") return { status: 200, body: { serverTime: this.now() } };
    if (url.pathname === "/api/v3/exchangeInfo") return { status: 200, body: { timezone: "UTC", serverTime: this.now(), symbols: [...this.account.symbols.values()].map(symbolInfo) } };
    const auth = this.authenticate(url, apiKey);
    if (auth) return auth;
    const q = url.searchParams;
    if (url.pathname === "/api/v3/order" && method === "POST") return this.newOrder(q);
    if (url.pathname === "/api/v3/order") return this.existing(method, q);
    if (url.pathname === "/api/v3/openOrders") return { status: 200, body: [...this.account.orders.values()].filter((o) => o.symbol === q.get("symbol") && (o.status === "NEW" || o.status === "PARTIALLY_FILLED")).map(orderJson) };
    if (url.pathname === "/api/v3/myTrades") return { status: 200, body: this.account.trades.filter((t) => t.symbol === q.get("symbol") && (!q.has("orderId") || String(t.orderId) === q.get("orderId"))).map(tradeJson) };
    if (url.pathname === "/api/v3/account") return { status: 200, body: { canTrade: true, canWithdraw: false, balances: [...this.account.balances].map(([asset, b]) => ({ asset, free: b.free.toFixed(8), locked: b.locked.toFixed(8) })) } };
    if (url.pathname === "/sapi/v1/account/apiRestrictions") {
      const w = this.keys.get(apiKey)?.canWithdraw === true;
      return { status: 200, body: { ipRestrict: false, createTime: 1700000000000, enableReading: true, enableWithdrawals: w, enableInternalTransfer: false, enableMargin: false, enableFutures: false, permitsUniversalTransfer: w, enableVanillaOptions: false, enableSpotAndMarginTrading: true } };
    }
    return { status: 404, body: { code: -1000, msg: "Unknown endpoint" } };
  }

  private authenticate(url: URL, apiKey: string): Answer | null {
    const key = this.keys.get(apiKey);
    if (!key) return { status: 401, body: { code: -2015, msg: "Invalid API-key, IP, or permissions for action." } };
    const split = splitSignature(url.search.slice(1));
    if (!split || hmacSignature(split.payload, key.secret) !== split.signature) return { status: 400, body: { code: -1022, msg: "Signature for this request is not valid." } };
    const ts = Number(url.searchParams.get("timestamp"));
    const window = Number(url.searchParams.get("recvWindow") ?? "5000");
    if (!(ts < this.now() + 1000 && this.now() - ts <= window)) return { status: 400, body: { code: -1021, msg: "Timestamp for this request is outside of the recvWindow." } };
    return null;
  }

  private newOrder(q: URLSearchParams): Answer | null {
    const throttle = this.takeFault("throttle");
    if (throttle) return { status: throttle.status, body: { code: -1003, msg: "Too many requests." }, headers: { "retry-after": String(throttle.retryAfterS) } };
    const reject = this.takeFault("reject");
    if (reject) return { status: 400, body: { code: reject.code, msg: reject.msg } };
    count(this.orderCount, 10_000, this.now());
    this.orderRequests.push(q.get("newClientOrderId") ?? "");
    const side = q.get("side") === "SELL" ? "SELL" : "BUY";
    const placed = this.account.place({ symbol: q.get("symbol") ?? "", side, type: q.get("type") ?? "MARKET", timeInForce: q.get("timeInForce") ?? "GTC", qty: Number(q.get("quantity")), price: Number(q.get("price") ?? "0"), clientOrderId: q.get("newClientOrderId") ?? `sim${Date.now()}` }, this.now());
    if (!("code" in placed)) this.onExecuted?.(placed);
    this.flushEvents();
    if ("code" in placed) return { status: 400, body: placed };
    if (this.takeFault("lose-answer")) return null;
    if (this.takeFault("malformed-answer")) return { status: 200, body: { orderId: "not a number", apiKeyEcho: this.keys.keys().next().value } };
    const after = this.takeFault("error-after-execute");
    if (after) return { status: after.status, body: { code: after.code, msg: after.msg } };
    const fills = this.account.trades.filter((t) => t.orderId === placed.orderId).map((t) => ({ price: t.price.toFixed(8), qty: t.qty.toFixed(8), commission: t.commission.toFixed(8), commissionAsset: t.commissionAsset, tradeId: t.id }));
    const { time, ...rest } = orderJson(placed);
    return { status: 200, body: { ...rest, transactTime: time, fills } };
  }

  private existing(method: string, q: URLSearchParams): Answer {
    const o = this.account.byClientId(q.get("origClientOrderId") ?? "") ?? this.account.orders.get(Number(q.get("orderId")));
    if (!o || o.symbol !== q.get("symbol")) return { status: 400, body: method === "DELETE" ? { code: -2011, msg: "Unknown order sent." } : { code: -2013, msg: "Order does not exist." } };
    if (method !== "DELETE") return this.takeFault("query-error") ? { status: 503, body: { code: -1001, msg: "Internal error; unable to process your request. Please try again." } } : { status: 200, body: orderJson(o) };
    const r = this.account.cancel(o, this.now(), o.clientOrderId);
    this.flushEvents();
    return "code" in r ? { status: 400, body: r } : { status: 200, body: { ...orderJson(r), origClientOrderId: o.clientOrderId } };
  }

  private onWsMessage(ws: WebSocket, text: string): void {
    let m: { id?: unknown; method?: unknown; params?: { apiKey?: unknown; timestamp?: unknown; signature?: unknown } };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      ws.send(JSON.stringify({ id: null, status: 400, error: { code: -1000, msg: "Invalid JSON" } }));
      return;
    }
    const key = this.keys.get(String(m.params?.apiKey ?? ""));
    const payload = `apiKey=${String(m.params?.apiKey ?? "")}&timestamp=${String(m.params?.timestamp ?? "")}`;
    if (m.method !== "userDataStream.subscribe.signature" || !key || hmacSignature(payload, key.secret) !== m.params?.signature) {
      ws.send(JSON.stringify({ id: m.id ?? null, status: 400, error: { code: -1022, msg: "Signature for this request is not valid." } }));
      return;
    }
    this.streams.add(ws);
    ws.on("close", () => this.streams.delete(ws));
    ws.send(JSON.stringify({ id: m.id, status: 200, result: { subscriptionId: 0 } }));
  }
}

/** Adds one to a windowed counter, starting a new window when the current one ended. */
function count(c: { used: number; window: number }, windowMs: number, now: number): void {
  const w = Math.floor(now / windowMs);
  if (w !== c.window) Object.assign(c, { used: 0, window: w });
  c.used++;
}

function symbolInfo(s: SimSymbol): Record<string, unknown> {
  return {
    symbol: s.symbol, status: "TRADING", baseAsset: s.baseAsset, quoteAsset: s.quoteAsset, baseAssetPrecision: 8, quoteAssetPrecision: 8,
    filters: [
      { filterType: "PRICE_FILTER", minPrice: s.tickSize, maxPrice: "1000000.00000000", tickSize: s.tickSize },
      { filterType: "LOT_SIZE", minQty: s.minQty, maxQty: "9000.00000000", stepSize: s.stepSize },
      { filterType: "NOTIONAL", minNotional: s.minNotional, applyMinToMarket: true, maxNotional: "9000000.00000000", applyMaxToMarket: false, avgPriceMins: 5 },
    ],
  };
}
