/**
 * The simulated Coinbase Advanced Trade private API, on loopback: `GET /api/v3/brokerage/time`,
 * `/products`, `/accounts`, `/key_permissions`, `POST /orders` (`client_order_id`,
 * `order_configuration`), `POST /orders/batch_cancel`, `GET /orders/historical/{order_id}`,
 * `/orders/historical/batch` and `/orders/historical/fills`, each request's CDP JWT checked against
 * test keys ({@link checkJwt}), 30 requests a second per process (`x-ratelimit-*`, a 429 past it), matching in the Binance simulator's {@link SimAccount}, and the
 * WebSocket `user` channel (`/ws-user`: a snapshot, then an update per order change, every message
 * numbered by `sequence_num`). Faults on demand: an answer lost after the order executed, a 5xx
 * after it executed, a 429, a refusal, an answer that does not parse, duplicate and out-of-order
 * user messages, a stream disconnect (fills during the gap are not pushed), and a skewed clock.
 */
import http from "node:http";
import type { KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { SimAccount, type SimOrder, type SimSymbol } from "../../binance/private/sim-book.ts";
import { checkJwt, publicKeys, type CoinbaseSimKey } from "./sim-auth.ts";
import { simOrderId, simOrderJson, simUserOrder } from "./sim-json.ts";

/** A fault for the next new order (answer faults) or the next user messages (event faults). */
export type CoinbasePrivateFault =
  | { kind: "lose-answer" }
  | { kind: "error-after-execute"; status: number }
  | { kind: "throttle"; retryAfterS: number }
  | { kind: "reject"; error: string; message: string }
  | { kind: "malformed-answer" }
  | { kind: "duplicate-events" }
  | { kind: "reorder-events" };

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | null;

interface UserStream {
  ws: WebSocket;
  seq: number;
}

const RATE_LIMIT = 30;

/** The Coinbase private simulator (symbols are product ids: `BTC-USD`). */
export class CoinbasePrivateSim {
  readonly account: SimAccount;
  /** While true no user message is pushed (lost, as in a gap the client does not notice). */
  muteStreams = false;
  /** Added to the server's clock. */
  clockSkewMs = 0;
  /** Every new order that reached matching (its `client_order_id`). */
  readonly orderRequests: string[] = [];
  /** Requests refused with a 429 because the key sent more than its limit in a second. */
  rateLimited = 0;
  /** Called when an order was executed, before its messages and answer go out (tests crash a client here). */
  onExecuted: ((o: SimOrder) => void) | null = null;
  private readonly keys: Map<string, KeyObject>;
  private readonly transferKeys: Set<string>;
  private readonly faults: CoinbasePrivateFault[] = [];
  private readonly streams = new Set<UserStream>();
  private server: http.Server | null = null;
  private wss: WebSocketServer | null = null;
  private window = { used: 0, start: 0 };

  constructor(symbols: readonly SimSymbol[], keys: readonly CoinbaseSimKey[], balances: Readonly<Record<string, number>>) {
    this.account = new SimAccount(symbols, balances);
    this.keys = publicKeys(keys);
    this.transferKeys = new Set(keys.filter((k) => k.canTransfer).map((k) => k.name));
  }

  /** Listens on 127.0.0.1 (any free port). */
  async start(): Promise<{ rest: string; wsUser: string }> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => this.respond(req, res, body));
    });
    this.wss = new WebSocketServer({ server: this.server, path: "/ws-user" });
    this.wss.on("connection", (ws) => ws.on("message", (raw: Buffer) => this.onWsMessage(ws, raw.toString())));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return { rest: `http://127.0.0.1:${port}`, wsUser: `ws://127.0.0.1:${port}/ws-user` };
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.ws.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Queues a fault. */
  inject(fault: CoinbasePrivateFault): void {
    this.faults.push(fault);
  }

  /** Drops every user-channel connection. */
  dropStreams(): void {
    for (const s of this.streams) s.ws.terminate();
    this.streams.clear();
  }

  /** Moves a price (resting orders it crosses fill) and pushes the user messages. */
  setPrice(product: string, price: number): void {
    this.account.setPrice(product, price, this.now());
    this.flush();
  }

  /** Places an order that is not the workstation's (as if from the website). */
  placeExternal(product: string, side: "BUY" | "SELL", qty: number, price: number, clientOrderId: string): SimOrder {
    const o = this.account.place({ symbol: product, side, type: "LIMIT", timeInForce: "GTC", qty, price, clientOrderId }, this.now());
    this.flush();
    if ("code" in o) throw new Error(o.msg);
    return o;
  }

  private now(): number {
    return Date.now() + this.clockSkewMs;
  }

  private takeFault<K extends CoinbasePrivateFault["kind"]>(kind: K): Extract<CoinbasePrivateFault, { kind: K }> | undefined {
    const at = this.faults.findIndex((f) => f.kind === kind);
    return at < 0 ? undefined : (this.faults.splice(at, 1)[0] as Extract<CoinbasePrivateFault, { kind: K }>);
  }

  private respond(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = new URL(req.url ?? "/", "http://sim");
    const answer = this.route(req, url, body);
    if (answer === null) {
      res.socket?.destroy();
      return;
    }
    const reset = Math.floor(this.window.start / 1000) + 1;
    res.writeHead(answer.status, { "content-type": "application/json", "x-ratelimit-limit": String(RATE_LIMIT), "x-ratelimit-remaining": String(Math.max(0, RATE_LIMIT - this.window.used)), "x-ratelimit-reset": String(reset), ...(answer.headers ?? {}) });
    res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
  }

  private route(req: http.IncomingMessage, url: URL, body: string): Answer {
    const path = url.pathname;
    if (path === "/api/v3/brokerage/time") return { status: 200, body: { iso: new Date(this.now()).toISOString(), epochSeconds: String(Math.floor(this.now() / 1000)), epochMillis: String(this.now()) } };
    const auth = String(req.headers.authorization ?? "");
    const checked = checkJwt(auth.replace(/^Bearer /, ""), this.keys, `${req.method} ${req.headers.host}${path}`, Math.floor(this.now() / 1000));
    if ("refused" in checked) return { status: 401, body: { error: "UNAUTHENTICATED", error_details: checked.refused, message: "unauthorized" } };
    if (this.count() > RATE_LIMIT) {
      this.rateLimited++;
      return { status: 429, body: { error: "RATE_LIMIT_EXCEEDED", message: "Too many requests" } };
    }
    const q = url.searchParams;
    if (req.method === "POST" && path === "/api/v3/brokerage/orders") return this.newOrder(body);
    if (req.method === "POST" && path === "/api/v3/brokerage/orders/batch_cancel") return this.cancel(body);
    if (path === "/api/v3/brokerage/orders/historical/batch") return { status: 200, body: this.listOrders(q) };
    if (path === "/api/v3/brokerage/orders/historical/fills") return { status: 200, body: this.listFills(q) };
    if (path.startsWith("/api/v3/brokerage/orders/historical/")) {
      const o = [...this.account.orders.values()].find((x) => simOrderId(x) === decodeURIComponent(path.split("/").pop() ?? ""));
      return o ? { status: 200, body: { order: simOrderJson(o, this.account) } } : { status: 404, body: { error: "NOT_FOUND", message: "order not found" } };
    }
    if (path === "/api/v3/brokerage/key_permissions") return { status: 200, body: { can_view: true, can_trade: true, can_transfer: this.transferKeys.has(checked.keyName), portfolio_uuid: "11111111-1111-1111-1111-111111111111", portfolio_type: "DEFAULT" } };
    if (path === "/api/v3/brokerage/accounts") return { status: 200, body: { accounts: [...this.account.balances].map(([currency, b]) => ({ uuid: `acct-${currency}`, name: `${currency} Wallet`, currency, available_balance: { value: b.free.toFixed(8), currency }, default: true, active: true, type: "ACCOUNT_TYPE_CRYPTO", ready: true, hold: { value: b.locked.toFixed(8), currency } })), has_next: false, cursor: "", size: this.account.balances.size } };
    if (path === "/api/v3/brokerage/products") return { status: 200, body: { products: [...this.account.symbols.values()].map(productJson), num_products: this.account.symbols.size } };
    return { status: 404, body: { error: "NOT_FOUND", message: "no such endpoint" } };
  }

  /** Counts a request in the current one-second window; the count so far. */
  private count(): number {
    const second = Math.floor(this.now() / 1000) * 1000;
    if (second !== this.window.start) this.window = { used: 0, start: second };
    return ++this.window.used;
  }

  private newOrder(body: string): Answer {
    const throttle = this.takeFault("throttle");
    if (throttle) return { status: 429, body: { error: "RATE_LIMIT_EXCEEDED", message: "Too many requests" }, headers: { "retry-after": String(throttle.retryAfterS) } };
    let p: { client_order_id?: unknown; product_id?: unknown; side?: unknown; order_configuration?: Record<string, Record<string, string>> };
    try {
      p = JSON.parse(body) as typeof p;
    } catch {
      return { status: 400, body: { error: "INVALID_ARGUMENT", message: "body is not JSON" } };
    }
    const reject = this.takeFault("reject");
    if (reject) return { status: 200, body: { success: false, error_response: { error: reject.error, message: reject.message, error_details: "", preview_failure_reason: `PREVIEW_${reject.error}` }, order_configuration: p.order_configuration } };
    const [kind, cfg] = Object.entries(p.order_configuration ?? {})[0] ?? ["", {}];
    const clientOrderId = String(p.client_order_id ?? "");
    this.orderRequests.push(clientOrderId);
    const placed = this.account.place({ symbol: String(p.product_id), side: p.side === "SELL" ? "SELL" : "BUY", type: kind === "market_market_ioc" ? "MARKET" : "LIMIT", timeInForce: "GTC", qty: Number(cfg.base_size), price: Number(cfg.limit_price ?? "0"), clientOrderId }, this.now());
    if (!("code" in placed)) this.onExecuted?.(placed);
    this.flush();
    if ("code" in placed) return { status: 200, body: { success: false, error_response: { error: /insufficient/.test(placed.msg) ? "INSUFFICIENT_FUND" : "INVALID_ARGUMENT", message: placed.msg, error_details: "" } } };
    if (this.takeFault("lose-answer")) return null;
    const after = this.takeFault("error-after-execute");
    if (after) return { status: after.status, body: "upstream connect error" };
    if (this.takeFault("malformed-answer")) return { status: 200, body: { success: "yes", order_id: simOrderId(placed), jwt: "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl" } };
    return { status: 200, body: { success: true, success_response: { order_id: simOrderId(placed), product_id: placed.symbol, side: placed.side, client_order_id: clientOrderId }, order_configuration: p.order_configuration } };
  }

  private cancel(body: string): Answer {
    const ids = ((JSON.parse(body) as { order_ids?: unknown }).order_ids ?? []) as string[];
    const results = ids.map((id) => {
      const o = [...this.account.orders.values()].find((x) => simOrderId(x) === id);
      const r = o ? this.account.cancel(o, this.now(), o.clientOrderId) : null;
      return r && !("code" in r) ? { success: true, failure_reason: "UNKNOWN_CANCEL_FAILURE_REASON", order_id: id } : { success: false, failure_reason: o ? "DUPLICATE_CANCEL_REQUEST" : "UNKNOWN_CANCEL_ORDER", order_id: id };
    });
    this.flush();
    return { status: 200, body: { results } };
  }

  private listOrders(q: URLSearchParams): unknown {
    const products = q.getAll("product_ids");
    const open = q.getAll("order_status").includes("OPEN");
    const since = q.get("start_date") ? Date.parse(q.get("start_date")!) : 0;
    const limit = Number(q.get("limit") ?? "100");
    const from = Number(q.get("cursor") || "0");
    const all = [...this.account.orders.values()].filter((o) => (products.length === 0 || products.includes(o.symbol)) && (!open || o.status === "NEW" || o.status === "PARTIALLY_FILLED") && o.time >= since).reverse();
    const page = all.slice(from, from + limit);
    const next = from + limit < all.length;
    return { orders: page.map((o) => simOrderJson(o, this.account)), sequence: "0", has_next: next, cursor: next ? String(from + limit) : "" };
  }

  private listFills(q: URLSearchParams): unknown {
    const ids = q.getAll("order_ids");
    const trades = this.account.trades.filter((t) => ids.length === 0 || ids.includes(simOrderId(this.account.orders.get(t.orderId)!)));
    return { fills: trades.map((t) => ({ entry_id: `entry-${t.id}`, trade_id: `trade-${t.id}`, order_id: simOrderId(this.account.orders.get(t.orderId)!), trade_time: new Date(t.time).toISOString(), trade_type: "FILL", price: t.price.toFixed(2), size: t.qty.toFixed(8), commission: (t.commissionAsset === t.symbol.split("-")[1] ? t.commission : t.commission * t.price).toFixed(8), product_id: t.symbol, sequence_timestamp: new Date(t.time).toISOString(), liquidity_indicator: t.isMaker ? "MAKER" : "TAKER", size_in_quote: false, user_id: "sim-user", side: t.isBuyer ? "BUY" : "SELL" })), cursor: "" };
  }

  /** One user message per changed order since the last flush, with the faults applied. */
  private flush(): void {
    const changed = new Map<number, SimOrder>();
    for (const e of this.account.drain()) if (e.e === "executionReport") changed.set(Number(e.i), this.account.orders.get(Number(e.i))!);
    if (changed.size === 0 || this.muteStreams) return;
    const duplicate = this.takeFault("duplicate-events");
    const reorder = this.takeFault("reorder-events");
    for (const s of this.streams) {
      let frames = [...changed.values()].map((o) => this.frame(s, "update", [o]));
      if (duplicate) frames = frames.flatMap((f) => [f, f]);
      if (reorder) frames = frames.reverse();
      for (const f of frames) s.ws.send(f);
    }
  }

  private frame(s: UserStream, type: "snapshot" | "update", orders: SimOrder[]): string {
    return JSON.stringify({ channel: "user", client_id: "", timestamp: new Date(this.now()).toISOString(), sequence_num: s.seq++, events: [{ type, orders: orders.map((o) => simUserOrder(o, this.account)), positions: { perpetual_futures_positions: [], expiring_futures_positions: [] } }] });
  }

  private onWsMessage(ws: WebSocket, text: string): void {
    let m: { type?: unknown; channel?: unknown; jwt?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      ws.send(JSON.stringify({ type: "error", message: "malformed message" }));
      return;
    }
    const checked = checkJwt(String(m.jwt ?? ""), this.keys, null, Math.floor(this.now() / 1000));
    if (m.type !== "subscribe" || "refused" in checked) {
      ws.send(JSON.stringify({ type: "error", message: "refused" in checked ? `authentication failure: ${checked.refused}` : "unknown message type" }));
      return;
    }
    let s = [...this.streams].find((x) => x.ws === ws);
    if (!s) {
      s = { ws, seq: 0 };
      this.streams.add(s);
      ws.on("close", () => this.streams.delete(s!));
    }
    ws.send(JSON.stringify({ channel: "subscriptions", client_id: "", timestamp: new Date(this.now()).toISOString(), sequence_num: s.seq++, events: [{ subscriptions: { [String(m.channel)]: m.channel === "user" ? ["sim-user"] : [] } }] }));
    if (m.channel === "user") ws.send(this.frame(s, "snapshot", [...this.account.orders.values()].filter((o) => o.status === "NEW" || o.status === "PARTIALLY_FILLED")));
  }
}

function productJson(s: SimSymbol): Record<string, unknown> {
  return { product_id: s.symbol, price: s.price.toFixed(2), base_increment: s.stepSize, quote_increment: s.tickSize, price_increment: s.tickSize, base_min_size: s.minQty, base_max_size: "1000", quote_min_size: s.minNotional, quote_max_size: "10000000", base_currency_id: s.baseAsset, quote_currency_id: s.quoteAsset, status: "online", trading_disabled: false, product_type: "SPOT" };
}
