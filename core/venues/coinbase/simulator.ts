/**
 * Simulated Coinbase Advanced Trade WebSocket and public market REST endpoints.
 *
 * WebSocket: `{"type":"subscribe"|"unsubscribe","product_ids":[...],"channel":...}` for `level2`
 * (messages on channel `l2_data`: a full snapshot, then per-step updates), `market_trades` (a
 * snapshot of recent trades, then updates newest first), `ticker` and `heartbeats` (one per
 * period); each change of subscriptions is confirmed by a `subscriptions` message. Every message
 * on a connection carries the next `sequence_num` of that connection, starting at 0.
 *
 * REST: `/api/v3/brokerage/market/products` and
 * `/api/v3/brokerage/market/products/<id>/candles?start=&end=&granularity=ONE_MINUTE` (seconds,
 * newest first), `/api/v3/brokerage/time`.
 */
import { formatFixed, type SimMarket, type SimTrade, type StepResult } from "../../simulator/market.ts";
import { isoTime, json, parseRequestFrame, SimVenue, type SimConnection, type SimRestResponse } from "../../simulator/venue.ts";

const CHANNELS = new Set(["level2", "market_trades", "ticker", "heartbeats"]);

interface CoinbaseSession {
  conn: SimConnection;
  seq: number;
  subs: Map<string, Set<string>>;
  heartbeats: number;
}

/** Coinbase product id of a unified symbol: `BTC/USD` → `BTC-USD`. */
export function coinbaseProduct(unified: string): string {
  return unified.replace("/", "-");
}

/** Coinbase Advanced Trade over a set of simulated markets. */
export class CoinbaseSim extends SimVenue<CoinbaseSession> {
  readonly venue = "coinbase" as const;

  open(conn: SimConnection): CoinbaseSession {
    const session: CoinbaseSession = { conn, seq: 0, subs: new Map([...CHANNELS].map((c) => [c, new Set<string>()])), heartbeats: 0 };
    this.sessions.add(session);
    return session;
  }

  /** Wraps events into a message with the connection's next sequence number. */
  private envelope(session: CoinbaseSession, channel: string, ts: number, events: string): string {
    if (this.take("gap")) session.seq++;
    return `{"channel":"${channel}","client_id":"","timestamp":"${isoTime(ts, 9)}","sequence_num":${session.seq++},"events":[${events}]}`;
  }

  message(session: CoinbaseSession, text: string): void {
    const msg = parseRequestFrame<{ type: unknown; product_ids: unknown; channel: unknown }>(text);
    if (!msg) {
      this.sendControl(session, JSON.stringify({ type: "error", message: "failure to parse message" }));
      return;
    }
    const channel = String(msg.channel ?? "");
    const products = Array.isArray(msg.product_ids) ? msg.product_ids.map(String) : [];
    const unknown = products.find((p) => !this.markets.has(p.replace("-", "/")));
    if ((msg.type !== "subscribe" && msg.type !== "unsubscribe") || !CHANNELS.has(channel) || unknown) {
      this.sendControl(session, JSON.stringify({ type: "error", message: unknown ? `invalid product_id ${unknown}` : "invalid subscription" }));
      return;
    }
    const set = session.subs.get(channel)!;
    const now = Date.now();
    for (const p of channel === "heartbeats" ? ["heartbeats"] : products) {
      if (msg.type === "unsubscribe") set.delete(p);
      else if (!set.has(p)) {
        set.add(p);
        this.snapshot(session, channel, p, now);
      }
    }
    const subs = Object.fromEntries([...session.subs].filter(([, s]) => s.size > 0).map(([c, s]) => [c, [...s]]));
    this.sendControl(session, this.envelope(session, "subscriptions", now, JSON.stringify({ subscriptions: subs })));
  }

  private snapshot(session: CoinbaseSession, channel: string, product: string, now: number): void {
    const market = this.markets.get(product.replace("-", "/"));
    if (!market) return;
    if (channel === "level2") {
      const level = (side: string, [p, q]: [number, number]) => `{"side":"${side}","event_time":"1970-01-01T00:00:00Z","price_level":"${market.price(p)}","new_quantity":"${market.size(q)}"}`;
      const updates = [...market.bids.map((l) => level("bid", l)), ...market.asks.map((l) => level("offer", l))].join(",");
      this.sendData(session, this.envelope(session, "l2_data", now, `{"type":"snapshot","product_id":"${product}","updates":[${updates}]}`));
    } else if (channel === "market_trades") {
      const trades = [...market.recentTrades].reverse().map((t) => this.trade(market, product, t)).join(",");
      this.sendData(session, this.envelope(session, "market_trades", now, `{"type":"snapshot","trades":[${trades}]}`));
    } else if (channel === "ticker") {
      this.sendData(session, this.envelope(session, "ticker", now, `{"type":"snapshot","tickers":[${this.ticker(market, product)}]}`));
    }
  }

  step(symbol: string, result: StepResult): void {
    const market = this.markets.get(symbol)!;
    const product = coinbaseProduct(symbol);
    const time = isoTime(result.ts, 9);
    const updates = result.changes
      .map((c) => `{"side":"${c.side === "bid" ? "bid" : "offer"}","event_time":"${time}","price_level":"${market.price(c.ticks)}","new_quantity":"${market.size(c.lots)}"}`)
      .join(",");
    for (const s of this.sessions) {
      if (result.changes.length > 0 && s.subs.get("level2")!.has(product)) {
        this.sendData(s, this.envelope(s, "l2_data", result.ts, `{"type":"update","product_id":"${product}","updates":[${updates}]}`));
      }
      if (result.trade && s.subs.get("market_trades")!.has(product)) {
        this.sendData(s, this.envelope(s, "market_trades", result.ts, `{"type":"update","trades":[${this.trade(market, product, result.trade)}]}`));
      }
      if (result.trade && s.subs.get("ticker")!.has(product)) {
        this.sendData(s, this.envelope(s, "ticker", result.ts, `{"type":"update","tickers":[${this.ticker(market, product)}]}`));
      }
    }
  }

  heartbeat(now: number): void {
    for (const s of this.sessions) {
      if (s.subs.get("heartbeats")!.size === 0) continue;
      const counter = ++s.heartbeats;
      this.sendControl(s, this.envelope(s, "heartbeats", now, `{"current_time":"${new Date(now).toISOString()}","heartbeat_counter":${counter}}`));
    }
  }

  rest(url: URL, now: number): SimRestResponse {
    const path = url.pathname;
    if (path === "/api/v3/brokerage/time") {
      const t = now + this.clockSkewMs;
      return json({ iso: isoTime(t, 3), epochSeconds: String(Math.floor(t / 1000)), epochMillis: String(t) });
    }
    if (path === "/api/v3/brokerage/market/products") {
      const products = [...this.markets.values()].map((m) => this.product(m));
      return json({ products, num_products: products.length });
    }
    const match = /^\/api\/v3\/brokerage\/market\/products\/([A-Z0-9]+-[A-Z0-9]+)\/candles$/.exec(path);
    const market = match ? this.markets.get(match[1]!.replace("-", "/")) : undefined;
    if (!match) return json({ error: "NOT_FOUND", message: "not found" }, 404);
    if (!market) return json({ error: "INVALID_ARGUMENT", message: "ProductID is invalid" }, 400);
    if ((url.searchParams.get("granularity") ?? "ONE_MINUTE") !== "ONE_MINUTE") return json({ error: "INVALID_ARGUMENT", message: "granularity" }, 400);
    const end = Number(url.searchParams.get("end") ?? now / 1000) * 1000;
    const start = Number(url.searchParams.get("start") ?? end / 1000 - 300 * 60) * 1000;
    const candles = market.candleRange(start, end, 350).reverse().map((c) => ({
      start: String(c.t / 1000),
      low: market.price(c.low),
      high: market.price(c.high),
      open: market.price(c.open),
      close: market.price(c.close),
      volume: market.size(c.lots),
    }));
    return json({ candles });
  }

  private product(m: SimMarket): unknown {
    const { base, quote, priceDecimals, sizeDecimals, symbol } = m.instrument;
    const tick = formatFixed(1, priceDecimals);
    return {
      product_id: coinbaseProduct(symbol),
      price: m.price(m.mid()),
      base_increment: formatFixed(1, sizeDecimals),
      quote_increment: tick,
      price_increment: tick,
      base_min_size: formatFixed(1, sizeDecimals),
      base_max_size: "10000",
      base_currency_id: base,
      quote_currency_id: quote,
      base_display_symbol: base,
      quote_display_symbol: quote,
      status: "online",
      trading_disabled: false,
      product_type: "SPOT",
    };
  }

  private trade(m: SimMarket, product: string, t: SimTrade): string {
    return `{"trade_id":"${t.id}","product_id":"${product}","price":"${m.price(t.ticks)}","size":"${m.size(t.lots)}","side":"${t.side === "buy" ? "BUY" : "SELL"}","time":"${isoTime(t.ts, 6)}"}`;
  }

  private ticker(m: SimMarket, product: string): string {
    const last = m.recentTrades.at(-1)?.ticks ?? m.mid();
    const [bp, bq] = m.bids[0]!;
    const [ap, aq] = m.asks[0]!;
    return `{"type":"ticker","product_id":"${product}","price":"${m.price(last)}","volume_24_h":"0","low_24_h":"${m.price(last)}","high_24_h":"${m.price(last)}","low_52_w":"${m.price(last)}","high_52_w":"${m.price(last)}","price_percent_chg_24_h":"0","best_bid":"${m.price(bp)}","best_bid_quantity":"${m.size(bq)}","best_ask":"${m.price(ap)}","best_ask_quantity":"${m.size(aq)}"}`;
  }
}
