/**
 * Binance spot stream frames and REST depth snapshots → typed messages (pure: no I/O, no clock,
 * never throws). Raw (`{"e":...}`) and combined-stream (`{"stream","data"}`) frames are both
 * accepted. Events: `trade`, `aggTrade`, `depthUpdate` (diff depth), and bookTicker (no `e`
 * field; recognised by its `u,s,b,B,a,A` fields). Subscribe replies `{"result":null,"id":n}` are
 * acks; `{"error":...}` / `{"code","msg"}` are venue errors.
 *
 * Side mapping: Binance sends `m` = "is the buyer the market maker?". When the buyer made the
 * market the seller took it, so the aggressor side is `sell`; otherwise `buy`.
 * Ids and times are JSON numbers; they are read from their exact wire text.
 */
import type { Level, TradeEvent } from "../../../common/market/events.ts";
import { decimalText, epochMs, idText, item, malformed, MalformedField, safeInt, str } from "../fields.ts";
import { isObject, JsonSyntaxError, parseJsonExact, type JsonObject, type JsonValue } from "../json.ts";
import type { BinanceSymbols } from "../symbols.ts";
import type { QuoteUpdate } from "../types.ts";

/** One diff-depth event: levels changed between update ids `first` (U) and `last` (u). */
export interface BinanceDiff {
  symbol: string;
  venueSymbol: string;
  first: number;
  last: number;
  bids: Level[];
  asks: Level[];
  ts: number;
}

/** A REST depth snapshot. */
export interface BinanceDepthSnapshot {
  lastUpdateId: number;
  bids: Level[];
  asks: Level[];
}

/** A parsed Binance frame. */
export type BinanceMessage =
  | { kind: "trade"; stream: "trade" | "aggTrade"; venueSymbol: string; trade: TradeEvent }
  | { kind: "depth"; diff: BinanceDiff }
  | { kind: "quote"; quote: QuoteUpdate }
  | { kind: "control" }
  | { kind: "venue_error"; message: string }
  | { kind: "error"; reason: "malformed_frame" | "unknown_message" };

function levels(v: JsonValue | undefined, what: string): Level[] {
  if (!Array.isArray(v)) return malformed(what);
  const out: Level[] = new Array<Level>(v.length);
  for (let i = 0; i < v.length; i++) {
    const l = v[i];
    if (!Array.isArray(l) || l.length < 2) return malformed(what);
    out[i] = [decimalText(l[0], "price"), decimalText(l[1], "qty")];
  }
  return out;
}

function unified(symbols: BinanceSymbols, raw: string): string {
  return symbols.unify(raw) ?? malformed("symbol");
}

/**
 * A trade message from its fields (price and size already through `decimalText`, the rest wire
 * texts as the exact reader gives them); throws {@link MalformedField}. Shared by the exact parser
 * and the fast path (`fast.ts`).
 */
export function tradeMessage(
  stream: "trade" | "aggTrade",
  venueSymbol: string,
  id: JsonValue | undefined,
  price: string,
  size: string,
  time: JsonValue | undefined,
  m: JsonValue | undefined,
  symbols: BinanceSymbols,
): BinanceMessage {
  if (typeof m !== "boolean") malformed("m");
  const trade: TradeEvent = {
    type: "trade",
    exchange: "binance",
    symbol: unified(symbols, venueSymbol),
    price,
    size,
    side: m ? "sell" : "buy",
    tradeId: idText(id, "trade id"),
    ts: epochMs(time, "T"),
  };
  return { kind: "trade", stream, venueSymbol, trade };
}

function parseTrade(d: JsonObject, stream: "trade" | "aggTrade", symbols: BinanceSymbols): BinanceMessage {
  return tradeMessage(stream, str(d, "s"), stream === "trade" ? d.t : d.a, decimalText(d.p, "p"), decimalText(d.q, "q"), d.T, d.m, symbols);
}

/**
 * A depth message from its fields (levels already read); throws {@link MalformedField}. Shared by
 * the exact parser and the fast path.
 */
export function diffMessage(
  venueSymbol: string,
  first: JsonValue | undefined,
  last: JsonValue | undefined,
  bids: Level[],
  asks: Level[],
  time: JsonValue | undefined,
  symbols: BinanceSymbols,
): BinanceMessage {
  const diff: BinanceDiff = {
    symbol: unified(symbols, venueSymbol),
    venueSymbol,
    first: safeInt(first, "U"),
    last: safeInt(last, "u"),
    bids,
    asks,
    ts: epochMs(time, "E"),
  };
  if (diff.last < diff.first) malformed("u < U");
  return { kind: "depth", diff };
}

function parseDiff(d: JsonObject, symbols: BinanceSymbols): BinanceMessage {
  return diffMessage(str(d, "s"), d.U, d.u, levels(d.b, "b"), levels(d.a, "a"), d.E, symbols);
}

function parseBookTicker(d: JsonObject, symbols: BinanceSymbols, receivedAt: number): BinanceMessage {
  safeInt(d.u, "u");
  const quote: QuoteUpdate = {
    exchange: "binance",
    symbol: unified(symbols, str(d, "s")),
    bid: [decimalText(d.b, "b"), decimalText(d.B, "B")],
    ask: [decimalText(d.a, "a"), decimalText(d.A, "A")],
    last: null,
    ts: d.E === undefined ? receivedAt : epochMs(d.E, "E"),
  };
  return { kind: "quote", quote };
}

function parsePayload(d: JsonObject, symbols: BinanceSymbols, receivedAt: number): BinanceMessage | null {
  const e = d.e;
  if (e === "trade" || e === "aggTrade") return parseTrade(d, e, symbols);
  if (e === "depthUpdate") return parseDiff(d, symbols);
  if (e === undefined && d.s !== undefined && d.b !== undefined && d.A !== undefined) return parseBookTicker(d, symbols, receivedAt);
  return null;
}

function parseReply(root: JsonObject): BinanceMessage | null {
  if ("result" in root && "id" in root) return { kind: "control" };
  const error = root.error;
  if (isObject(error)) return { kind: "venue_error", message: `${typeof error.code === "string" ? error.code : "?"}: ${typeof error.msg === "string" ? error.msg : ""}` };
  if (typeof root.code === "string" && typeof root.msg === "string") return { kind: "venue_error", message: `${root.code}: ${root.msg}` };
  return null;
}

/** Parses one Binance frame (raw or combined stream). */
export function parseBinance(text: string, symbols: BinanceSymbols, receivedAt: number): BinanceMessage {
  try {
    const root = parseJsonExact(text);
    if (!isObject(root)) return { kind: "error", reason: "unknown_message" };
    let payload = root;
    if (typeof root.stream === "string" && "data" in root) payload = item(root.data);
    const msg = parsePayload(payload, symbols, receivedAt) ?? (payload === root ? parseReply(root) : null);
    return msg ?? { kind: "error", reason: "unknown_message" };
  } catch (err) {
    if (err instanceof JsonSyntaxError || err instanceof MalformedField) return { kind: "error", reason: "malformed_frame" };
    return { kind: "error", reason: "malformed_frame" };
  }
}

/** Parses a REST `/api/v3/depth` body; null when it is not a valid snapshot. */
export function parseDepthSnapshot(body: string): BinanceDepthSnapshot | null {
  try {
    const root = parseJsonExact(body);
    if (!isObject(root)) return null;
    return { lastUpdateId: safeInt(root.lastUpdateId, "lastUpdateId"), bids: levels(root.bids, "bids"), asks: levels(root.asks, "asks") };
  } catch {
    return null;
  }
}
