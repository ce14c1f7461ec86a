/**
 * Simulated Kraken WebSocket API v2 and its public REST endpoints.
 *
 * WebSocket: `status` on connect; `subscribe`/`unsubscribe` for `book` (depth 10/25/100/500/1000),
 * `trade` and `ticker`, each acked per symbol; `ping` → `pong`; a `heartbeat` every period while
 * subscribed. Prices and quantities are JSON numbers written with the pair's full precision
 * (trailing zeros kept). A book subscription gets a snapshot of the top `depth` levels, then one
 * update per market step holding the levels that changed inside that window, the levels that
 * entered it, and deletes only for levels that left the book (a level pushed out of the window is
 * not deleted: clients truncate, as on Kraken). Every book message carries the CRC32 of the top 10
 * asks then bids, each level as its price and quantity digits without the dot and leading zeros.
 *
 * REST: `/0/public/AssetPairs`, `/0/public/OHLC?pair=&interval=1&since=` (one-minute candles), `/0/public/Time`.
 */
import { crc32 } from "../crc32.ts";
import { formatFixed, type SimMarket, type StepResult } from "../../simulator/market.ts";
import { isoTime, json, parseRequestFrame, SimVenue, type SimConnection, type SimRestResponse } from "../../simulator/venue.ts";

const DEPTHS = new Set([10, 25, 100, 500, 1000]);

interface KrakenSession {
  conn: SimConnection;
  books: Map<string, number>;
  trades: Set<string>;
  tickers: Set<string>;
}

type View = { bids: [number, number][]; asks: [number, number][] };

/** Kraken v2 over a set of simulated markets. */
export class KrakenSim extends SimVenue<KrakenSession> {
  readonly venue = "kraken" as const;
  /** Last published view per `symbol|depth`. */
  private readonly views = new Map<string, View>();

  open(conn: SimConnection): KrakenSession {
    const session: KrakenSession = { conn, books: new Map(), trades: new Set(), tickers: new Set() };
    this.sessions.add(session);
    this.sendControl(session, JSON.stringify({ channel: "status", type: "update", data: [{ version: "2.0.0", system: "online", api_version: "v2", connection_id: 1234567890 }] }));
    return session;
  }

  message(session: KrakenSession, text: string): void {
    const msg = parseRequestFrame<{ method: unknown; params: { channel?: unknown; symbol?: unknown; depth?: unknown } | null; req_id: unknown }>(text);
    if (!msg) {
      this.sendControl(session, JSON.stringify({ error: "Malformed request", success: false }));
      return;
    }
    const now = Date.now();
    const reqId = typeof msg.req_id === "number" ? msg.req_id : undefined;
    if (msg.method === "ping") {
      this.sendControl(session, JSON.stringify({ method: "pong", req_id: reqId, time_in: isoTime(now, 6), time_out: isoTime(now, 6) }));
      return;
    }
    if (msg.method !== "subscribe" && msg.method !== "unsubscribe") {
      this.sendControl(session, JSON.stringify({ error: "Method not found", method: msg.method, success: false, req_id: reqId }));
      return;
    }
    const channel = String(msg.params?.channel ?? "");
    const symbols = Array.isArray(msg.params?.symbol) ? (msg.params.symbol as unknown[]).map(String) : [];
    const depth = typeof msg.params?.depth === "number" ? msg.params.depth : 10;
    for (const symbol of symbols) this.subscribe(session, msg.method, channel, symbol, depth, reqId, now);
  }

  private subscribe(session: KrakenSession, method: "subscribe" | "unsubscribe", channel: string, symbol: string, depth: number, reqId: number | undefined, now: number): void {
    const market = this.markets.get(symbol);
    const base = { method, req_id: reqId, time_in: isoTime(now, 6), time_out: isoTime(now, 6) };
    if (!market || !["book", "trade", "ticker"].includes(channel) || (channel === "book" && !DEPTHS.has(depth))) {
      const error = !market ? `Currency pair not supported ${symbol}` : `Invalid channel or depth`;
      this.sendControl(session, JSON.stringify({ ...base, error, success: false, symbol }));
      return;
    }
    const result = channel === "book" ? { channel, depth, snapshot: true, symbol } : { channel, snapshot: true, symbol };
    if (method === "unsubscribe") {
      if (channel === "book") session.books.delete(symbol);
      else (channel === "trade" ? session.trades : session.tickers).delete(symbol);
      this.sendControl(session, JSON.stringify({ ...base, result, success: true }));
      return;
    }
    this.sendControl(session, JSON.stringify({ ...base, result, success: true }));
    if (channel === "book") {
      session.books.set(symbol, depth);
      const view = this.currentView(market, depth);
      this.views.set(`${symbol}|${depth}`, view);
      this.sendData(session, this.bookMessage("snapshot", market, view.bids, view.asks, this.checksum(view), now));
    } else if (channel === "trade") {
      session.trades.add(symbol);
      const data = market.recentTrades.map((t) => this.tradeData(market, t));
      this.sendData(session, `{"channel":"trade","type":"snapshot","data":[${data.join(",")}]}`);
    } else {
      session.tickers.add(symbol);
      this.sendData(session, this.tickerMessage(market, "snapshot"));
    }
  }

  step(symbol: string, result: StepResult): void {
    const market = this.markets.get(symbol)!;
    const bookFrames = new Map<number, string | null>();
    let tradeFrame: string | null = null;
    for (const s of this.sessions) {
      const depth = s.books.get(symbol);
      if (depth !== undefined) {
        if (!bookFrames.has(depth)) bookFrames.set(depth, this.bookUpdate(market, depth, result));
        const frame = bookFrames.get(depth);
        if (frame) this.sendData(s, frame);
      }
      if (result.trade && s.trades.has(symbol)) {
        tradeFrame ??= `{"channel":"trade","type":"update","data":[${this.tradeData(market, result.trade)}]}`;
        this.sendData(s, tradeFrame);
      }
      if (result.trade && s.tickers.has(symbol)) this.sendData(s, this.tickerMessage(market, "update"));
    }
  }

  heartbeat(): void {
    for (const s of this.sessions) if (s.books.size + s.trades.size + s.tickers.size > 0) this.sendControl(s, `{"channel":"heartbeat"}`);
  }

  rest(url: URL, now: number): SimRestResponse {
    if (url.pathname === "/0/public/AssetPairs") return json({ error: [], result: Object.fromEntries([...this.markets.values()].map((m) => this.assetPair(m))) });
    if (url.pathname === "/0/public/OHLC") return this.ohlc(url, now);
    if (url.pathname === "/0/public/Time") return json({ error: [], result: { unixtime: Math.floor((now + this.clockSkewMs) / 1000), rfc1123: new Date(now + this.clockSkewMs).toUTCString() } });
    return json({ error: ["EGeneral:Unknown method"] }, 404);
  }

  private assetPair(m: SimMarket): [string, unknown] {
    const { base, quote, priceDecimals, sizeDecimals, symbol } = m.instrument;
    const alt = `${base === "BTC" ? "XBT" : base}${quote}`;
    return [alt, { altname: alt, wsname: symbol, base, quote, pair_decimals: priceDecimals, lot_decimals: sizeDecimals, cost_decimals: 5, tick_size: formatFixed(1, priceDecimals), ordermin: "0.0001", costmin: "0.5", status: "online" }];
  }

  private ohlc(url: URL, now: number): SimRestResponse {
    const pair = url.searchParams.get("pair") ?? "";
    const market = [...this.markets.values()].find((m) => this.assetPair(m)[0] === pair || m.instrument.symbol === pair);
    if (!market) return json({ error: ["EQuery:Unknown asset pair"] });
    if ((url.searchParams.get("interval") ?? "1") !== "1") return json({ error: ["EGeneral:Invalid arguments"] });
    const since = Number(url.searchParams.get("since") ?? "0") * 1000;
    const from = Math.max(since, now - 720 * 60_000);
    const rows = market.candleRange(from, now, 720).map((c) => {
      const vol = market.size(c.lots);
      return [c.t / 1000, market.price(c.open), market.price(c.high), market.price(c.low), market.price(c.close), market.price(c.close), vol, c.trades];
    });
    return json({ error: [], result: { [this.assetPair(market)[0]]: rows, last: Math.floor(now / 60_000) * 60 } });
  }

  private currentView(m: SimMarket, depth: number): View {
    return { bids: m.bids.slice(0, depth).map(([p, q]) => [p, q]), asks: m.asks.slice(0, depth).map(([p, q]) => [p, q]) };
  }

  /**
   * Kraken's checksum of a view. A level's checksum digits are its price and quantity text without
   * the dot and leading zeros — for a price rendered from integer ticks (and a size from lots) that
   * is exactly the integer's decimal digits, so no text is formatted here.
   */
  private checksum(view: View): number {
    let text = "";
    for (let i = 0; i < view.asks.length && i < 10; i++) text += `${view.asks[i]![0]}${view.asks[i]![1]}`;
    for (let i = 0; i < view.bids.length && i < 10; i++) text += `${view.bids[i]![0]}${view.bids[i]![1]}`;
    return crc32(text);
  }

  /** Levels of the window that changed or entered it, and deletes for levels that left the book. */
  private sideDiff(before: [number, number][], after: [number, number][], book: [number, number][]): [number, number][] {
    const out: [number, number][] = [];
    for (const [p, q] of after) {
      const old = before.find((l) => l[0] === p);
      if (!old || old[1] !== q) out.push([p, q]);
    }
    for (const [p] of before) {
      if (!after.some((l) => l[0] === p) && !book.some((l) => l[0] === p)) out.push([p, 0]);
    }
    return out;
  }

  /**
   * The update frame for one depth after a step, or null when the window did not change (or a
   * pending "gap" fault swallows it: the view moves on, so the client's next checksum fails).
   */
  private bookUpdate(m: SimMarket, depth: number, result: StepResult): string | null {
    const key = `${m.instrument.symbol}|${depth}`;
    const before = this.views.get(key) ?? { bids: [], asks: [] };
    const after = this.currentView(m, depth);
    this.views.set(key, after);
    const bids = this.sideDiff(before.bids, after.bids, m.bids);
    const asks = this.sideDiff(before.asks, after.asks, m.asks);
    if (bids.length === 0 && asks.length === 0) return null;
    if (this.take("gap")) return null;
    const checksum = this.checksum(after) ^ (this.take("checksum") ? 1 : 0);
    return this.bookMessage("update", m, bids, asks, checksum >>> 0, result.ts);
  }

  private bookMessage(type: "snapshot" | "update", m: SimMarket, bids: [number, number][], asks: [number, number][], checksum: number, ts: number): string {
    const levels = (side: [number, number][]) => side.map(([p, q]) => `{"price":${m.price(p)},"qty":${m.size(q)}}`).join(",");
    return `{"channel":"book","type":"${type}","data":[{"symbol":"${m.instrument.symbol}","bids":[${levels(bids)}],"asks":[${levels(asks)}],"checksum":${checksum},"timestamp":"${isoTime(ts, 6)}"}]}`;
  }

  private tradeData(m: SimMarket, t: { side: string; ticks: number; lots: number; id: number; ts: number }): string {
    return `{"symbol":"${m.instrument.symbol}","side":"${t.side}","price":${m.price(t.ticks)},"qty":${m.size(t.lots)},"ord_type":"market","trade_id":${t.id},"timestamp":"${isoTime(t.ts, 6)}"}`;
  }

  private tickerMessage(m: SimMarket, type: "snapshot" | "update"): string {
    const bid = m.bids[0]!;
    const ask = m.asks[0]!;
    const last = m.recentTrades.at(-1)?.ticks ?? m.mid();
    return `{"channel":"ticker","type":"${type}","data":[{"symbol":"${m.instrument.symbol}","bid":${m.price(bid[0])},"bid_qty":${m.size(bid[1])},"ask":${m.price(ask[0])},"ask_qty":${m.size(ask[1])},"last":${m.price(last)},"volume":0.0,"vwap":${m.price(last)},"low":${m.price(last)},"high":${m.price(last)},"change":0.0,"change_pct":0.00}]}`;
  }
}
