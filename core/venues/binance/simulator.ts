/**
 * Simulated Binance spot market streams and public REST endpoints.
 *
 * WebSocket: raw streams on `/ws/<stream>` and combined streams on `/stream?streams=a/b` (frames
 * wrapped as `{"stream","data"}`); `SUBSCRIBE`/`UNSUBSCRIBE`/`LIST_SUBSCRIPTIONS` requests answered
 * `{"result":...,"id":n}`; more than 5 requests per second closes the connection, as Binance does.
 * Streams: `<s>@trade`, `<s>@aggTrade`, `<s>@depth` / `<s>@depth@100ms` (diff depth: every step's
 * changed levels with `U`..`u` update ids, consecutive per symbol), `<s>@bookTicker`.
 * Prices and sizes are strings with 8 decimals, as Binance writes them.
 *
 * REST: `/api/v3/depth?symbol=&limit=` (snapshot with `lastUpdateId`), `/api/v3/exchangeInfo`,
 * `/api/v3/klines?symbol=&interval=1m&startTime=&endTime=&limit=`, `/api/v3/time`.
 */
import { formatFixed, type SimMarket, type StepResult } from "../../simulator/market.ts";
import { json, parseRequestFrame, SimVenue, type SimConnection, type SimRestResponse } from "../../simulator/venue.ts";

interface BinanceSession {
  conn: SimConnection;
  combined: boolean;
  streams: Set<string>;
  requests: number[];
}

/** Binance symbol of a unified one: `BTC/USDT` → `BTCUSDT`. */
export function binanceSymbol(unified: string): string {
  return unified.replace("/", "").toUpperCase();
}

/** Binance spot over a set of simulated markets. */
export class BinanceSim extends SimVenue<BinanceSession> {
  readonly venue = "binance" as const;
  private readonly updateIds = new Map<string, number>();
  /** Lowercase Binance symbol → unified symbol. */
  private readonly byVenueSymbol = new Map<string, string>();

  constructor(symbols: readonly string[], random: () => number) {
    super(symbols, random);
    for (const s of symbols) {
      this.updateIds.set(s, 1000);
      this.byVenueSymbol.set(binanceSymbol(s).toLowerCase(), s);
    }
  }

  open(conn: SimConnection, url: URL): BinanceSession {
    const combined = url.pathname.endsWith("/stream");
    const session: BinanceSession = { conn, combined, streams: new Set(), requests: [] };
    const raw = combined ? (url.searchParams.get("streams") ?? "") : url.pathname.replace(/^.*\/ws\/?/, "");
    for (const s of raw.split("/")) if (s) session.streams.add(s);
    this.sessions.add(session);
    return session;
  }

  message(session: BinanceSession, text: string): void {
    const now = Date.now();
    session.requests = session.requests.filter((t) => now - t < 1000);
    session.requests.push(now);
    if (session.requests.length > 5) {
      session.conn.terminate();
      return;
    }
    const msg = parseRequestFrame<{ method: unknown; params: unknown; id: unknown }>(text);
    if (!msg) {
      this.sendControl(session, JSON.stringify({ error: { code: 3, msg: "Invalid JSON" } }));
      return;
    }
    const id = msg.id ?? null;
    const params = Array.isArray(msg.params) ? msg.params.map(String) : [];
    if (msg.method === "LIST_SUBSCRIPTIONS") {
      this.sendControl(session, JSON.stringify({ result: [...session.streams], id }));
      return;
    }
    if (msg.method !== "SUBSCRIBE" && msg.method !== "UNSUBSCRIBE") {
      this.sendControl(session, JSON.stringify({ error: { code: 2, msg: "Invalid request: unknown method" }, id }));
      return;
    }
    for (const p of params) {
      if (msg.method === "SUBSCRIBE") session.streams.add(p);
      else session.streams.delete(p);
    }
    this.sendControl(session, JSON.stringify({ result: null, id }));
  }

  step(symbol: string, result: StepResult): void {
    const market = this.markets.get(symbol)!;
    const lower = binanceSymbol(symbol).toLowerCase();
    const first = this.updateIds.get(symbol)! + 1;
    const last = first + Math.max(0, result.changes.length - 1);
    this.updateIds.set(symbol, last);
    const watched = [...this.sessions].some((x) => x.streams.has(`${lower}@depth@100ms`) || x.streams.has(`${lower}@depth`));
    const skip = result.changes.length > 0 && watched && this.take("gap");
    const payloads: [string, string][] = [];
    if (result.changes.length > 0 && !skip) payloads.push(...this.depthPayloads(market, lower, result, first, last));
    if (result.trade) {
      const t = result.trade;
      const head = `"E":${t.ts},"s":"${lower.toUpperCase()}"`;
      const pq = `"p":"${this.px(market, t.ticks)}","q":"${market.size(t.lots)}"`;
      const m = t.side === "sell";
      payloads.push([`${lower}@trade`, `{"e":"trade",${head},"t":${t.id},${pq},"T":${t.ts},"m":${m},"M":true}`]);
      payloads.push([`${lower}@aggTrade`, `{"e":"aggTrade",${head},"a":${t.id},${pq},"f":${t.id},"l":${t.id},"T":${t.ts},"m":${m},"M":true}`]);
    }
    const bid = market.bids[0]!;
    const ask = market.asks[0]!;
    payloads.push([`${lower}@bookTicker`, `{"u":${last},"s":"${lower.toUpperCase()}","b":"${this.px(market, bid[0])}","B":"${market.size(bid[1])}","a":"${this.px(market, ask[0])}","A":"${market.size(ask[1])}"}`]);
    for (const s of this.sessions) {
      for (const [stream, data] of payloads) {
        if (!s.streams.has(stream)) continue;
        this.sendData(s, s.combined ? `{"stream":"${stream}","data":${data}}` : data);
      }
    }
  }

  private depthPayloads(m: SimMarket, lower: string, result: StepResult, first: number, last: number): [string, string][] {
    const side = (which: "bid" | "ask") =>
      result.changes.filter((c) => c.side === which).map((c) => `["${this.px(m, c.ticks)}","${m.size(c.lots)}"]`).join(",");
    const data = `{"e":"depthUpdate","E":${result.ts},"s":"${lower.toUpperCase()}","U":${first},"u":${last},"b":[${side("bid")}],"a":[${side("ask")}]}`;
    return [[`${lower}@depth@100ms`, data], [`${lower}@depth`, data]];
  }

  heartbeat(): void {
    // Binance keeps connections alive with WebSocket pings, sent by the server socket layer.
  }

  rest(url: URL, now: number): SimRestResponse {
    if (url.pathname === "/api/v3/time") return json({ serverTime: now + this.clockSkewMs });
    if (url.pathname === "/api/v3/exchangeInfo") return json({ timezone: "UTC", serverTime: now, symbols: [...this.markets.values()].map((m) => this.symbolInfo(m)) });
    const symbol = this.byVenueSymbol.get((url.searchParams.get("symbol") ?? "").toLowerCase());
    const market = symbol ? this.markets.get(symbol) : undefined;
    if (url.pathname !== "/api/v3/depth" && url.pathname !== "/api/v3/klines") return json({ code: -1000, msg: "Unknown endpoint" }, 404);
    if (!market || !symbol) return json({ code: -1121, msg: "Invalid symbol." }, 400);
    if (url.pathname === "/api/v3/depth") {
      const limit = Math.min(5000, Number(url.searchParams.get("limit") ?? "100") || 100);
      const level = ([p, q]: [number, number]) => [this.px(market, p), market.size(q)];
      return json({ lastUpdateId: this.updateIds.get(symbol), bids: market.bids.slice(0, limit).map(level), asks: market.asks.slice(0, limit).map(level) });
    }
    const limit = Math.min(1000, Number(url.searchParams.get("limit") ?? "500") || 500);
    const end = Number(url.searchParams.get("endTime") ?? now);
    const start = Number(url.searchParams.get("startTime") ?? end - limit * 60_000);
    const rows = market.candleRange(start, end + 1, limit).map((c) => {
      const px = (t: number) => this.px(market, t);
      return [c.t, px(c.open), px(c.high), px(c.low), px(c.close), market.size(c.lots), c.t + 59_999, "0", c.trades, "0", "0", "0"];
    });
    return json(rows);
  }

  private symbolInfo(m: SimMarket): unknown {
    const { base, quote, priceDecimals, sizeDecimals, symbol } = m.instrument;
    return {
      symbol: binanceSymbol(symbol),
      status: "TRADING",
      baseAsset: base,
      baseAssetPrecision: 8,
      quoteAsset: quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      filters: [
        { filterType: "PRICE_FILTER", minPrice: formatFixed(1, 8), maxPrice: "1000000.00000000", tickSize: formatFixed(10 ** (8 - priceDecimals), 8) },
        { filterType: "LOT_SIZE", minQty: formatFixed(1, 8), maxQty: "9000.00000000", stepSize: formatFixed(10 ** (8 - sizeDecimals), 8) },
      ],
    };
  }

  /** Price text with Binance's 8 decimals. */
  private px(m: SimMarket, ticks: number): string {
    return formatFixed(ticks * 10 ** (8 - m.instrument.priceDecimals), 8);
  }
}
