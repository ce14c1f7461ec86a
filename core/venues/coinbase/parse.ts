/**
 * Coinbase Advanced Trade WebSocket frames → typed messages (pure: no I/O, no clock, never throws).
 *
 * Every message is `{channel, timestamp, sequence_num, events:[...]}`: `l2_data` (events of type
 * snapshot/update with `updates[{side: bid|offer, price_level, new_quantity}]`), `market_trades`,
 * `ticker`/`ticker_batch`, `heartbeats`, `subscriptions`; errors are `{"type":"error","message"}`.
 *
 * Side mapping: a `market_trades` trade's `side` (BUY/SELL) is read as the taker (aggressor) side,
 * as Coinbase's Advanced Trade market-trades feed reports the side of the order that took
 * liquidity (unlike the legacy Exchange `match` channel, whose `side` is the maker's). Trades in one
 * event arrive newest first; they are emitted oldest first. A `snapshot` event of market_trades is
 * recent history sent on subscribe: no trade events.
 */
import type { Level, TradeEvent } from "../../../common/market/events.ts";
import { arr, decimalText, idText, isoMs, item, malformed, MalformedField, safeInt, str } from "../fields.ts";
import { isObject, JsonSyntaxError, parseJsonExact, type JsonObject, type JsonValue } from "../json.ts";
import { coinbaseSymbol } from "../symbols.ts";
import type { QuoteUpdate } from "../types.ts";

/** One product's l2 event. */
export interface CoinbaseBookEvent {
  symbol: string;
  venueSymbol: string;
  snapshot: boolean;
  bids: Level[];
  asks: Level[];
  ts: number;
}

/** A parsed Coinbase frame. `seq` is the connection-wide sequence_num when the frame had one. */
export type CoinbaseMessage =
  | { kind: "data"; seq: number; trades: TradeEvent[]; books: CoinbaseBookEvent[]; quotes: QuoteUpdate[] }
  | { kind: "venue_error"; message: string }
  | { kind: "error"; reason: "malformed_frame" | "unknown_message"; seq?: number; bookData: boolean };

/** Channels that carry no market data but belong to the session (a channel we did not subscribe to, e.g. `candles`, is unknown). */
const CONTROL_CHANNELS = new Set(["heartbeats", "subscriptions", "status"]);

function unified(raw: string): string {
  return coinbaseSymbol(raw) ?? malformed("product_id");
}

function parseTrade(v: JsonValue): TradeEvent {
  const t = item(v);
  const side = str(t, "side");
  if (side !== "BUY" && side !== "SELL") malformed("side");
  return {
    type: "trade",
    exchange: "coinbase",
    symbol: unified(str(t, "product_id")),
    price: decimalText(t.price, "price"),
    size: decimalText(t.size, "size"),
    side: side === "BUY" ? "buy" : "sell",
    tradeId: idText(t.trade_id, "trade_id"),
    ts: isoMs(t.time, "time"),
  };
}

function idAfter(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

/** Oldest first: reverses an event's trades when they came newest first. */
function chronological(trades: TradeEvent[]): TradeEvent[] {
  if (trades.length < 2) return trades;
  const first = trades[0]!;
  const last = trades[trades.length - 1]!;
  const newestFirst = first.ts > last.ts || (first.ts === last.ts && idAfter(first.tradeId, last.tradeId));
  return newestFirst ? trades.reverse() : trades;
}

function parseBookEvent(e: JsonObject, ts: number): CoinbaseBookEvent {
  const type = str(e, "type");
  if (type !== "snapshot" && type !== "update") malformed("type");
  const venueSymbol = str(e, "product_id");
  const out: CoinbaseBookEvent = { symbol: unified(venueSymbol), venueSymbol, snapshot: type === "snapshot", bids: [], asks: [], ts };
  for (const u of arr(e, "updates")) {
    const l = item(u);
    const side = str(l, "side");
    const level: Level = [decimalText(l.price_level, "price_level"), decimalText(l.new_quantity, "new_quantity")];
    if (side === "bid") out.bids.push(level);
    else if (side === "offer") out.asks.push(level);
    else malformed("side");
  }
  return out;
}

function parseTicker(v: JsonValue, ts: number): QuoteUpdate {
  const t = item(v);
  const level = (p: JsonValue | undefined, q: JsonValue | undefined): Level | null =>
    p === undefined || q === undefined ? null : [decimalText(p, "best price"), decimalText(q, "best quantity")];
  return {
    exchange: "coinbase",
    symbol: unified(str(t, "product_id")),
    bid: level(t.best_bid, t.best_bid_quantity),
    ask: level(t.best_ask, t.best_ask_quantity),
    last: t.price === undefined ? null : decimalText(t.price, "price"),
    ts,
  };
}

function parseEnvelope(m: JsonObject, channel: string): CoinbaseMessage {
  const seq = safeInt(m.sequence_num, "sequence_num");
  const out = { kind: "data" as const, seq, trades: [] as TradeEvent[], books: [] as CoinbaseBookEvent[], quotes: [] as QuoteUpdate[] };
  if (CONTROL_CHANNELS.has(channel)) return out;
  const ts = isoMs(m.timestamp, "timestamp");
  const events = arr(m, "events");
  if (channel === "l2_data") {
    for (const e of events) out.books.push(parseBookEvent(item(e), ts));
  } else if (channel === "market_trades") {
    for (const ev of events) {
      const e = item(ev);
      const trades = arr(e, "trades").map(parseTrade);
      if (str(e, "type") === "update") out.trades.push(...chronological(trades));
    }
  } else if (channel === "ticker" || channel === "ticker_batch") {
    for (const e of events) for (const t of arr(item(e), "tickers")) out.quotes.push(parseTicker(t, ts));
  } else return { kind: "error", reason: "unknown_message", seq, bookData: false };
  return out;
}

function readableSeq(v: JsonValue | undefined): number | undefined {
  if (!isObject(v) || typeof v.sequence_num !== "string" || !/^\d{1,15}$/.test(v.sequence_num)) return undefined;
  return Number(v.sequence_num);
}

/**
 * The sequence_num of a frame that is not valid JSON (e.g. cut short), when its text still shows
 * one: Coinbase writes it near the start and only at the top level. Counting it keeps a damaged
 * frame from also looking like a gap; the damaged frame itself still marks the books suspect.
 */
function seqInText(text: string): number | undefined {
  const m = /"sequence_num":(\d{1,15})[,}]/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Parses one Coinbase Advanced Trade frame. */
export function parseCoinbase(text: string): CoinbaseMessage {
  let root: JsonValue | undefined;
  try {
    root = parseJsonExact(text);
    if (!isObject(root)) return { kind: "error", reason: "unknown_message", bookData: false };
    const channel = root.channel;
    if (typeof channel === "string") return parseEnvelope(root, channel);
    if (root.type === "error") return { kind: "venue_error", message: typeof root.message === "string" ? root.message : "error" };
    return { kind: "error", reason: "unknown_message", bookData: false };
  } catch (err) {
    const syntax = err instanceof JsonSyntaxError;
    const seq = syntax ? seqInText(text) : err instanceof MalformedField ? readableSeq(root) : undefined;
    const bookData = syntax ? !/"channel":"(market_trades|heartbeats|subscriptions|ticker|ticker_batch)"/.test(text) : !isObject(root) || root.channel === "l2_data";
    return seq === undefined ? { kind: "error", reason: "malformed_frame", bookData } : { kind: "error", reason: "malformed_frame", seq, bookData };
  }
}
