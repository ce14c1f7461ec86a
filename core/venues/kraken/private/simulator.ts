/**
 * The simulated Kraken spot private API, on loopback: `POST /0/private/{AddOrder, CancelOrder,
 * OpenOrders, ClosedOrders, QueryOrders, Balance, TradesHistory, GetWebSocketsToken,
 * CancelAllOrdersAfter, GetApiKeyInfo}` and `GET /0/public/AssetPairs`, `API-Sign` checked against test keys
 * (`EAPI:Invalid key`, `EAPI:Invalid signature`, `EAPI:Invalid nonce` for a nonce not above the key's
 * last), `validate=true` orders checked and never executed, matching in the Binance simulator's
 * {@link SimAccount}, the WebSocket v2 `executions` channel (`/v2`, snapshot then updates), and faults
 * on demand: an answer lost after the order executed, a 5xx after it executed, an answer that does
 * not parse, a rate-limit error, a refusal with a given Kraken error, duplicate `executions` updates,
 * and a stream disconnect or an unnoticed gap (`dropStreams`, `muteStreams`).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { SimAccount, type SimOrder, type SimSymbol } from "../../binance/private/sim-book.ts";
import { DecayingCounter, type KrakenTier, REST_LIMITS, restCost } from "./rate-counter.ts";
import { krakenSignature } from "./sign.ts";

/** A fault for the next `AddOrder`. */
export type KrakenPrivateFault =
  | { kind: "lose-answer" }
  | { kind: "error-after-execute"; status: number }
  | { kind: "error"; error: string }
  /** The next order executes and is answered with a result that is not `AddOrder`'s. */
  | { kind: "malformed-answer" }
  /** The next `executions` updates are sent twice. */
  | { kind: "duplicate-events" };

type Answer = { status: number; body: unknown } | null;

const STATUS: Record<SimOrder["status"], string> = { NEW: "open", PARTIALLY_FILLED: "open", FILLED: "closed", CANCELED: "canceled", EXPIRED: "expired" };
const WS_STATUS: Record<string, string> = { NEW: "new", PARTIALLY_FILLED: "partially_filled", FILLED: "filled", CANCELED: "canceled", EXPIRED: "expired" };
const EXEC_TYPE: Record<string, string> = { NEW: "new", TRADE: "trade", CANCELED: "canceled", EXPIRED: "expired" };

/** The permissions of a trade-only key, as `GetApiKeyInfo` names them. */
export const KRAKEN_TRADE_PERMISSIONS: readonly string[] = ["query-funds", "query-open-trades", "query-closed-trades", "modify-trades", "cancel-close-trades", "websocket-token"];

/** The Kraken txid of a simulated order. */
export function simTxid(o: SimOrder): string {
  return `OSIM${String(o.orderId).padStart(2, "0")}-KRAKN-SIMULA`;
}

/** The Kraken private simulator (symbols are Kraken altnames: `XBTUSD`). */
export class KrakenPrivateSim {
  readonly account: SimAccount;
  /** Every `AddOrder` that reached matching (its `cl_ord_id`), and every `validate` one. */
  readonly orderRequests: string[] = [];
  readonly validated: string[] = [];
  /** Called when an order was executed, before its updates and answer go out (tests crash a client here). */
  onExecuted: ((o: SimOrder) => void) | null = null;
  /** While true no `executions` update is pushed (lost, as in a gap the client does not notice). */
  muteStreams = false;
  /** When `CancelAllOrdersAfter` fires (ms), 0 when disarmed. */
  deadManAt = 0;
  /** When set, each key's REST call counter of this tier is enforced (`EAPI:Rate limit exceeded`). */
  restTier: KrakenTier | null = null;
  /** Calls refused by the REST call counter. */
  rateRefusals = 0;
  private readonly restCounters = new Map<string, DecayingCounter>();
  private readonly secrets: Map<string, string>;
  private readonly permissions: Map<string, string[]>;
  private readonly lastNonce = new Map<string, bigint>();
  private readonly faults: KrakenPrivateFault[] = [];
  private readonly streams = new Set<WebSocket>();
  private readonly tokens = new Set<string>();
  private server: http.Server | null = null;
  private wss: WebSocketServer | null = null;

  /** `keys`' `permissions` are what `GetApiKeyInfo` reports (default: {@link KRAKEN_TRADE_PERMISSIONS}). */
  constructor(symbols: readonly SimSymbol[], keys: ReadonlyArray<{ apiKey: string; secret: string; permissions?: string[] }>, balances: Readonly<Record<string, number>>) {
    this.account = new SimAccount(symbols, balances);
    this.secrets = new Map(keys.map((k) => [k.apiKey, k.secret]));
    this.permissions = new Map(keys.map((k) => [k.apiKey, [...(k.permissions ?? KRAKEN_TRADE_PERMISSIONS)]]));
  }

  /** Listens on 127.0.0.1 (any free port). */
  async start(): Promise<{ rest: string; wsAuth: string }> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => this.respond(req, res, body));
    });
    this.wss = new WebSocketServer({ server: this.server, path: "/v2" });
    this.wss.on("connection", (ws) => ws.on("message", (raw: Buffer) => this.onWsMessage(ws, raw.toString())));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return { rest: `http://127.0.0.1:${port}`, wsAuth: `ws://127.0.0.1:${port}/v2` };
  }

  async close(): Promise<void> {
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Queues a fault for the next `AddOrder`. */
  inject(fault: KrakenPrivateFault): void {
    this.faults.push(fault);
  }

  /** Drops every `executions` connection. */
  dropStreams(): void {
    for (const ws of this.streams) ws.terminate();
    this.streams.clear();
  }

  /** Moves a price (resting orders it crosses fill) and pushes the executions. */
  setPrice(symbol: string, price: number): void {
    this.account.setPrice(symbol, price, Date.now());
    this.flush();
  }

  /** Fires the dead-man's switch if its time has come: every open order is canceled. */
  checkDeadMan(now = Date.now()): void {
    if (this.deadManAt === 0 || now < this.deadManAt) return;
    this.deadManAt = 0;
    for (const o of this.account.orders.values()) if (STATUS[o.status] === "open") this.account.cancel(o, now, o.clientOrderId);
    this.flush();
  }

  /** Counts a call on its key's REST counter; true when the counter would pass its maximum (refused). */
  private overRestCounter(apiKey: string, method: string): boolean {
    if (this.restTier === null) return false;
    let c = this.restCounters.get(apiKey);
    if (!c) {
      const l = REST_LIMITS[this.restTier];
      c = new DecayingCounter(l.max, l.decayPerS, Date.now);
      this.restCounters.set(apiKey, c);
    }
    if (c.waitMs(restCost(method)) > 0) {
      this.rateRefusals++;
      return true;
    }
    c.add(restCost(method));
    return false;
  }

  private takeFault<K extends KrakenPrivateFault["kind"]>(kind: K): Extract<KrakenPrivateFault, { kind: K }> | undefined {
    const at = this.faults.findIndex((f) => f.kind === kind);
    return at < 0 ? undefined : (this.faults.splice(at, 1)[0] as Extract<KrakenPrivateFault, { kind: K }>);
  }

  private respond(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = new URL(req.url ?? "/", "http://sim");
    const answer = url.pathname === "/0/public/AssetPairs" ? { status: 200, body: { error: [], result: Object.fromEntries([...this.account.symbols.values()].map((s) => [s.symbol, pairInfo(s)])) } } : this.privateCall(url.pathname, req.headers, body);
    if (answer === null) {
      res.socket?.destroy();
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  }

  private privateCall(path: string, headers: http.IncomingHttpHeaders, body: string): Answer {
    const refused = this.authenticate(path, headers, body);
    if (refused) return { status: 200, body: { error: [refused] } };
    this.checkDeadMan();
    const p = new URLSearchParams(body);
    const ok = (result: unknown): Answer => ({ status: 200, body: { error: [], result } });
    const method = path.slice("/0/private/".length);
    if (this.overRestCounter(String(headers["api-key"]), method)) return { status: 200, body: { error: ["EAPI:Rate limit exceeded"] } };
    if (method === "GetApiKeyInfo") {
      const apiKey = String(headers["api-key"]);
      return ok({ apiKeyName: "sim-key", apiKey, nonce: String(this.lastNonce.get(apiKey) ?? 0n), nonceWindow: 0, permissions: this.permissions.get(apiKey) ?? [], iban: "AA00 SIMU LATE DKEY", validUntil: "0", queryFrom: "0", queryTo: "0", createdTime: "1700000000", modifiedTime: "1700000000", ipAllowlist: [], lastUsed: String(Math.floor(Date.now() / 1000)) });
    }
    if (method === "AddOrder") return this.addOrder(p);
    if (method === "CancelOrder") return this.cancelOrder(p);
    if (method === "OpenOrders" || method === "ClosedOrders" || method === "QueryOrders") return ok(this.orders(method, p));
    if (method === "Balance") return ok(Object.fromEntries([...this.account.balances].map(([a, b]) => [a, (b.free + b.locked).toFixed(8)])));
    if (method === "TradesHistory") return ok({ trades: Object.fromEntries(this.account.trades.map((t) => [`TSIM${t.id}-TRADE-SIMULA`, { ordertxid: simTxid(this.account.orders.get(t.orderId)!), postxid: "TKH2SE-M7IF5-CFI7LT", pair: t.symbol, time: t.time / 1000, type: t.isBuyer ? "buy" : "sell", ordertype: "market", price: t.price.toFixed(5), cost: (t.price * t.qty).toFixed(5), fee: t.commission.toFixed(5), vol: t.qty.toFixed(8), margin: "0.00000", misc: "", trade_id: t.id, maker: t.isMaker }])), count: this.account.trades.length });
    if (method === "GetWebSocketsToken") {
      const token = `simToken${this.tokens.size + 1}`;
      this.tokens.add(token);
      return ok({ token, expires: 900 });
    }
    if (method === "CancelAllOrdersAfter") {
      const timeout = Number(p.get("timeout") ?? "0");
      const now = Date.now();
      this.deadManAt = timeout > 0 ? now + timeout * 1000 : 0;
      return ok({ currentTime: new Date(now).toISOString().slice(0, 19) + "Z", triggerTime: timeout > 0 ? new Date(this.deadManAt).toISOString().slice(0, 19) + "Z" : "0" });
    }
    return { status: 200, body: { error: ["EGeneral:Unknown method"] } };
  }

  private authenticate(path: string, headers: http.IncomingHttpHeaders, body: string): string | null {
    const apiKey = String(headers["api-key"] ?? "");
    const secret = this.secrets.get(apiKey);
    if (secret === undefined) return "EAPI:Invalid key";
    const nonce = new URLSearchParams(body).get("nonce") ?? "";
    if (!/^\d+$/.test(nonce)) return "EAPI:Invalid nonce";
    if (krakenSignature(path, nonce, body, secret) !== headers["api-sign"]) return "EAPI:Invalid signature";
    if (BigInt(nonce) <= (this.lastNonce.get(apiKey) ?? 0n)) return "EAPI:Invalid nonce";
    this.lastNonce.set(apiKey, BigInt(nonce));
    return null;
  }

  private addOrder(p: URLSearchParams): Answer {
    const injected = this.takeFault("error");
    if (injected) return { status: 200, body: { error: [injected.error] } };
    const symbol = this.account.symbols.get(p.get("pair") ?? "");
    if (!symbol || !p.get("volume") || !["market", "limit"].includes(p.get("ordertype") ?? "")) return { status: 200, body: { error: ["EGeneral:Invalid arguments"] } };
    const side = p.get("type") === "sell" ? "SELL" : "BUY";
    const descr = { order: `${p.get("type")} ${p.get("volume")} ${symbol.symbol} @ ${p.get("ordertype")}${p.get("price") ? ` ${p.get("price")}` : ""}` };
    if (p.get("validate") === "true") {
      this.validated.push(p.get("cl_ord_id") ?? "");
      return { status: 200, body: { error: [], result: { descr } } };
    }
    this.orderRequests.push(p.get("cl_ord_id") ?? "");
    const placed = this.account.place({ symbol: symbol.symbol, side, type: p.get("ordertype") === "market" ? "MARKET" : "LIMIT", timeInForce: "GTC", qty: Number(p.get("volume")), price: Number(p.get("price") ?? "0"), clientOrderId: p.get("cl_ord_id") ?? "" }, Date.now());
    if (!("code" in placed)) this.onExecuted?.(placed);
    this.flush();
    if ("code" in placed) return { status: 200, body: { error: [placed.code === -2010 && /insufficient/.test(placed.msg) ? "EOrder:Insufficient funds" : "EOrder:Unknown order"] } };
    if (this.takeFault("lose-answer")) return null;
    if (this.takeFault("malformed-answer")) return { status: 200, body: { error: [], result: { descr: 5, txid: [simTxid(placed)], echo: p.get("nonce") } } };
    const after = this.takeFault("error-after-execute");
    if (after) return { status: after.status, body: "<html>Service Unavailable</html>" };
    return { status: 200, body: { error: [], result: { descr, txid: [simTxid(placed)] } } };
  }

  private cancelOrder(p: URLSearchParams): Answer {
    const id = p.get("cl_ord_id") ?? p.get("txid") ?? "";
    const o = this.account.byClientId(id) ?? [...this.account.orders.values()].find((x) => simTxid(x) === id);
    if (!o || STATUS[o.status] !== "open") return { status: 200, body: { error: ["EOrder:Unknown order"] } };
    this.account.cancel(o, Date.now(), o.clientOrderId);
    this.flush();
    return { status: 200, body: { error: [], result: { count: 1 } } };
  }

  private orders(method: string, p: URLSearchParams): unknown {
    const clOrdId = p.get("cl_ord_id");
    const txids = p.get("txid")?.split(",") ?? null;
    const pick = [...this.account.orders.values()].filter((o) => (clOrdId === null || o.clientOrderId === clOrdId) && (txids === null || txids.includes(simTxid(o))));
    const open = (o: SimOrder) => STATUS[o.status] === "open";
    const map = (list: SimOrder[]) => Object.fromEntries(list.map((o) => [simTxid(o), this.orderJson(o)]));
    if (method === "OpenOrders") return { open: map(pick.filter(open)) };
    if (method === "ClosedOrders") return { closed: map(pick.filter((o) => !open(o))), count: pick.filter((o) => !open(o)).length };
    return map(pick);
  }

  private orderJson(o: SimOrder): Record<string, unknown> {
    const type = o.side === "BUY" ? "buy" : "sell";
    const ordertype = o.type === "MARKET" ? "market" : "limit";
    const trades = this.account.trades.filter((t) => t.orderId === o.orderId).map((t) => `TSIM${t.id}-TRADE-SIMULA`);
    return { refid: null, userref: 0, cl_ord_id: o.clientOrderId, status: STATUS[o.status], opentm: o.time / 1000, starttm: 0, expiretm: 0, descr: { pair: o.symbol, type, ordertype, price: o.price.toFixed(1), price2: "0", leverage: "none", order: `${type} ${o.origQty.toFixed(8)} ${o.symbol} @ ${ordertype} ${o.price.toFixed(1)}`, close: "" }, vol: o.origQty.toFixed(8), vol_exec: o.executedQty.toFixed(8), cost: o.cumQuote.toFixed(5), fee: "0.00000", price: o.executedQty > 0 ? (o.cumQuote / o.executedQty).toFixed(1) : "0.0", stopprice: "0.00000", limitprice: "0.00000", misc: "", oflags: "fciq", trades };
  }

  /** Turns the account's Binance-shaped events into `executions` updates and pushes them. */
  private flush(): void {
    const data = this.account.drain().flatMap((e) => (e.e === "executionReport" ? [executionOf(e, this.v2Symbol(String(e.s)))] : []));
    if (data.length === 0 || this.muteStreams) return;
    const frame = JSON.stringify({ channel: "executions", type: "update", data, sequence: 2 });
    const times = this.takeFault("duplicate-events") ? 2 : 1;
    for (const ws of this.streams) for (let i = 0; i < times; i++) ws.send(frame);
  }

  /** A pair as WS v2 names it (`XBTUSD` → `BTC/USD`). */
  private v2Symbol(pair: string): string {
    const s = this.account.symbols.get(pair);
    return s ? `${s.baseAsset === "XBT" ? "BTC" : s.baseAsset}/${s.quoteAsset}` : pair;
  }

  private onWsMessage(ws: WebSocket, text: string): void {
    let m: { method?: unknown; req_id?: unknown; params?: { channel?: unknown; token?: unknown } & Record<string, unknown> };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      ws.send(JSON.stringify({ error: "EGeneral:Invalid arguments", success: false }));
      return;
    }
    if (m.method === "add_order" || m.method === "cancel_order") return this.wsRequest(ws, String(m.method), m.req_id, m.params ?? {});
    if (m.method !== "subscribe" || m.params?.channel !== "executions" || !this.tokens.has(String(m.params.token))) {
      ws.send(JSON.stringify({ method: "subscribe", error: "EAPI:Invalid token", success: false }));
      return;
    }
    this.streams.add(ws);
    ws.on("close", () => this.streams.delete(ws));
    const now = new Date().toISOString();
    ws.send(JSON.stringify({ method: "subscribe", result: { channel: "executions", snapshot: true }, success: true, time_in: now, time_out: now }));
    const open = [...this.account.orders.values()].filter((o) => STATUS[o.status] === "open");
    ws.send(JSON.stringify({ channel: "executions", type: "snapshot", data: open.map((o) => ({ order_id: simTxid(o), cl_ord_id: o.clientOrderId, symbol: this.v2Symbol(o.symbol), side: o.side === "BUY" ? "buy" : "sell", order_type: o.type === "MARKET" ? "market" : "limit", order_qty: o.origQty, limit_price: o.price, order_status: WS_STATUS[o.status], cum_qty: o.executedQty, exec_type: "new", timestamp: new Date(o.time).toISOString() })), sequence: 1 }));
  }

  /** `add_order` / `cancel_order` over WS v2: the REST handlers' answers, as WS answers (none when the answer is lost or a 5xx). */
  private wsRequest(ws: WebSocket, method: string, reqId: unknown, params: Record<string, unknown>): void {
    const base = { method, req_id: reqId, time_in: new Date().toISOString(), time_out: new Date().toISOString() };
    if (!this.tokens.has(String(params.token))) return void ws.send(JSON.stringify({ ...base, error: "EAPI:Invalid token", success: false }));
    const pair = [...this.account.symbols.keys()].find((k) => this.v2Symbol(k) === params.symbol) ?? "";
    const clOrdId = Array.isArray(params.cl_ord_id) ? String(params.cl_ord_id[0]) : String(params.cl_ord_id ?? "");
    const form = new URLSearchParams({ pair, type: String(params.side), ordertype: String(params.order_type), volume: String(params.order_qty ?? ""), cl_ord_id: clOrdId, ...(params.limit_price !== undefined ? { price: String(params.limit_price) } : {}), ...(params.validate === true ? { validate: "true" } : {}) });
    const answer = method === "add_order" ? this.addOrder(form) : this.cancelOrder(form);
    if (answer === null || answer.status !== 200) return;
    const body = answer.body as { error: string[]; result?: { txid?: string[]; descr?: unknown } };
    if (body.error.length > 0) return void ws.send(JSON.stringify({ ...base, error: body.error[0], success: false }));
    if (method === "cancel_order") return void ws.send(JSON.stringify({ ...base, result: { cl_ord_id: clOrdId }, success: true }));
    const added = body.result;
    const result = typeof added?.descr === "object" ? { ...(added.txid ? { order_id: added.txid[0] } : {}), cl_ord_id: clOrdId } : 5;
    ws.send(JSON.stringify({ ...base, result, success: true }));
  }
}

/** A Binance-shaped `executionReport` of the shared account as a Kraken `executions` entry. */
function executionOf(e: Record<string, unknown>, symbol: string): Record<string, unknown> {
  const orderId = Number(e.i);
  const base = { order_id: simTxid({ orderId } as SimOrder), cl_ord_id: e.c, symbol, side: e.S === "BUY" ? "buy" : "sell", order_qty: Number(e.q), limit_price: Number(e.p), order_status: WS_STATUS[String(e.X)] ?? "new", cum_qty: Number(e.z), exec_type: EXEC_TYPE[String(e.x)] ?? "status", timestamp: new Date(Number(e.E)).toISOString() };
  if (e.x !== "TRADE") return base;
  return { ...base, exec_id: `TSIM${String(e.t)}-TRADE-SIMULA`, trade_id: Number(e.t), last_qty: Number(e.l), last_price: Number(e.L), liquidity_ind: e.m === true ? "m" : "t", fees: [{ asset: String(e.N), qty: Number(e.n) }] };
}

function pairInfo(s: SimSymbol): Record<string, unknown> {
  const lotDecimals = Math.max(0, Math.round(-Math.log10(Number(s.stepSize))));
  return { altname: s.symbol, wsname: `${s.baseAsset}/${s.quoteAsset}`, base: s.baseAsset, quote: s.quoteAsset, pair_decimals: Math.max(0, Math.round(-Math.log10(Number(s.tickSize)))), lot_decimals: lotDecimals, ordermin: s.minQty, costmin: s.minNotional, tick_size: s.tickSize, status: "online" };
}
