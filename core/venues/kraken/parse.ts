/**
 * Kraken WebSocket API v2 frames → typed messages (pure: no I/O, no clock, never throws).
 *
 * Channels: `trade`, `book`, `ticker`, `heartbeat`, `status`; method replies `subscribe`,
 * `unsubscribe`, `pong`. Prices and quantities are JSON numbers on this API, so frames go through
 * {@link parseJsonExact} and keep their wire text: the canonical decimal goes into events, and the
 * digits of the wire text (dot and leading zeros removed) give each level's checksum mark (their
 * CRC-32 contribution and count, {@link packMark}) for the book's CRC32 checksum.
 *
 * Side mapping: Kraken documents a v2 trade's `side` as the side of the taker order, which is
 * exactly our `side` (the aggressor), so it is passed through unchanged.
 * A `trade` snapshot (recent trades sent on subscribe) is history, not new trades: no events.
 */
import type { Level, TradeEvent } from "../../../common/market/events.ts";
import { crc32Update } from "../crc32.ts";
import { arr, decimalText, idText, isoMs, item, malformed, MalformedField, obj, optStr, safeInt, str } from "../fields.ts";
import { isObject, JsonSyntaxError, parseJsonExact, type JsonObject, type JsonValue } from "../json.ts";
import { krakenSymbol } from "../symbols.ts";
import type { QuoteUpdate } from "../types.ts";

/** One symbol's part of a `book` message. */
export interface KrakenBookData {
  symbol: string;
  venueSymbol: string;
  bids: Level[];
  asks: Level[];
  /** Checksum mark of each level ({@link packMark} of its price digits + qty digits), parallel to bids/asks. */
  bidMarks: readonly number[];
  askMarks: readonly number[];
  checksum: number;
  /** Message time, or null when the message has none (snapshots may not). */
  ts: number | null;
}

/** A parsed Kraken frame. */
export type KrakenMessage =
  | { kind: "trades"; trades: TradeEvent[] }
  | { kind: "book"; snapshot: boolean; books: KrakenBookData[] }
  | { kind: "quotes"; quotes: QuoteUpdate[] }
  | { kind: "subscribed"; channel: string; symbol: string | null; venueSymbol: string | null; depth: number | null }
  | { kind: "control" }
  | { kind: "venue_error"; message: string }
  | { kind: "error"; reason: "malformed_frame" | "unknown_message"; bookSymbols?: string[] };

const PLAIN_NUMBER = /^\d+(\.\d+)?$/;

/** Checksum digits of one wire number: without the dot and without leading zeros. */
export function checksumDigits(wire: string): string {
  if (!PLAIN_NUMBER.test(wire)) return malformed("checksum digits");
  let s = wire.replace(".", "");
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  if (i > 0) s = s.slice(i);
  return s;
}

/** A level mark is `crc + digits * MARK_SPAN` (see {@link packMark}). */
export const MARK_SPAN = 2 ** 32;

/**
 * A level's checksum mark in one number: the CRC-32 contribution (`crc32Update` from 0) of its
 * checksum digits (price digits then qty digits) in the low 32 bits, how many digits above them.
 * `mark | 0` gives the contribution back, `Math.floor(mark / MARK_SPAN)` the count.
 */
export function packMark(crc: number, digits: number): number {
  return (crc >>> 0) + digits * MARK_SPAN;
}

function unified(raw: string): string {
  return krakenSymbol(raw) ?? malformed("symbol");
}

/**
 * A trade from its fields (price and size already through `decimalText`, the time as UTC ms, the
 * rest wire texts as the exact reader gives them); throws {@link MalformedField}. Shared by the
 * exact parser and the fast path (`fast.ts`).
 */
export function tradeEvent(venueSymbol: string, side: string, price: string, size: string, id: JsonValue | undefined, ts: number): TradeEvent {
  if (side !== "buy" && side !== "sell") malformed("side");
  return {
    type: "trade",
    exchange: "kraken",
    symbol: unified(venueSymbol),
    price,
    size,
    side,
    tradeId: idText(id, "trade_id"),
    ts,
  };
}

function parseTrade(v: JsonValue): TradeEvent {
  const t = item(v);
  return tradeEvent(str(t, "symbol"), str(t, "side"), decimalText(t.price, "price"), decimalText(t.qty, "qty"), t.trade_id, isoMs(t.timestamp, "timestamp"));
}

/** Adds one book level (price and qty as wire text) to `levels` and its checksum mark to `marks`. */
function addLevel(price: JsonValue | undefined, qty: JsonValue | undefined, levels: Level[], marks: number[]): void {
  if (typeof price !== "string" || typeof qty !== "string") malformed("level");
  levels.push([decimalText(price, "price"), decimalText(qty, "qty")]);
  const digits = checksumDigits(price) + checksumDigits(qty);
  marks.push(packMark(crc32Update(0, digits), digits.length));
}

function parseLevels(list: JsonValue[], levels: Level[], marks: number[]): void {
  for (const v of list) {
    const l = item(v);
    addLevel(l.price, l.qty, levels, marks);
  }
}

/**
 * One symbol's book data from its fields (the checksum as read, the time as UTC ms or null when the
 * message has none); throws {@link MalformedField}. Shared by the exact parser and the fast path.
 */
export function bookData(venueSymbol: string, checksum: number, ts: number | null, bids: Level[], bidMarks: readonly number[], asks: Level[], askMarks: readonly number[]): KrakenBookData {
  if (checksum > 0xffffffff) malformed("checksum");
  return { symbol: unified(venueSymbol), venueSymbol, bids, asks, bidMarks, askMarks, checksum, ts };
}

function parseBook(v: JsonValue): KrakenBookData {
  const b = item(v);
  const bids: Level[] = [];
  const bidMarks: number[] = [];
  const asks: Level[] = [];
  const askMarks: number[] = [];
  parseLevels(b.bids === undefined ? [] : arr(b, "bids"), bids, bidMarks);
  parseLevels(b.asks === undefined ? [] : arr(b, "asks"), asks, askMarks);
  const ts = b.timestamp === undefined ? null : isoMs(b.timestamp, "timestamp");
  return bookData(str(b, "symbol"), safeInt(b.checksum, "checksum"), ts, bids, bidMarks, asks, askMarks);
}

function parseTicker(v: JsonValue, receivedAt: number): QuoteUpdate {
  const t = item(v);
  return {
    exchange: "kraken",
    symbol: unified(str(t, "symbol")),
    bid: [decimalText(t.bid, "bid"), decimalText(t.bid_qty, "bid_qty")],
    ask: [decimalText(t.ask, "ask"), decimalText(t.ask_qty, "ask_qty")],
    last: t.last === undefined ? null : decimalText(t.last, "last"),
    ts: t.timestamp === undefined ? receivedAt : isoMs(t.timestamp, "timestamp"),
  };
}

function parseChannel(m: JsonObject, channel: string, receivedAt: number): KrakenMessage | null {
  if (channel === "heartbeat" || channel === "status") return { kind: "control" };
  const type = str(m, "type");
  if (type !== "snapshot" && type !== "update") return null;
  const data = arr(m, "data");
  if (channel === "trade") {
    const trades = data.map(parseTrade);
    return type === "snapshot" ? { kind: "control" } : { kind: "trades", trades };
  }
  if (channel === "book") return { kind: "book", snapshot: type === "snapshot", books: data.map(parseBook) };
  if (channel === "ticker") return { kind: "quotes", quotes: data.map((d) => parseTicker(d, receivedAt)) };
  return null;
}

function parseMethod(m: JsonObject, method: string): KrakenMessage | null {
  if (method !== "subscribe" && method !== "unsubscribe" && method !== "pong") return null;
  if (m.success === false) return { kind: "venue_error", message: `${method}: ${optStr(m, "error") ?? "failed"}` };
  if (method !== "subscribe") return { kind: "control" };
  const result = obj(m, "result");
  const venueSymbol = optStr(result, "symbol") ?? null;
  return {
    kind: "subscribed",
    channel: str(result, "channel"),
    symbol: venueSymbol === null ? null : unified(venueSymbol),
    venueSymbol,
    depth: result.depth === undefined ? null : safeInt(result.depth, "depth"),
  };
}

/** Symbols named in a malformed `book` frame, so their books can be marked suspect. */
function bookSymbolsOf(v: JsonValue | undefined): string[] | undefined {
  if (!isObject(v) || v.channel !== "book" || !Array.isArray(v.data)) return undefined;
  const out: string[] = [];
  for (const d of v.data) {
    const s = isObject(d) && typeof d.symbol === "string" ? krakenSymbol(d.symbol) : null;
    if (s !== null) out.push(s);
  }
  return out;
}

/** Parses one Kraken v2 frame received at `receivedAt` (used only where a message has no time). */
export function parseKraken(text: string, receivedAt: number): KrakenMessage {
  let root: JsonValue | undefined;
  try {
    root = parseJsonExact(text);
    if (!isObject(root)) return { kind: "error", reason: "unknown_message" };
    const channel = root.channel;
    const method = root.method;
    let msg: KrakenMessage | null = null;
    if (typeof channel === "string") msg = parseChannel(root, channel, receivedAt);
    else if (typeof method === "string") msg = parseMethod(root, method);
    return msg ?? { kind: "error", reason: "unknown_message" };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { kind: "error", reason: "malformed_frame" };
    if (err instanceof MalformedField) return { kind: "error", reason: "malformed_frame", bookSymbols: bookSymbolsOf(root) };
    return { kind: "error", reason: "malformed_frame" };
  }
}
