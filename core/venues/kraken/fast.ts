/**
 * Fast path for Kraken v2's hot frames: `trade` updates and `book` updates/snapshots, read by a
 * scanner (`../scan.ts`) that matches the exact shape Kraken sends — keys in Kraken's order, no
 * whitespace, prices and quantities as JSON numbers kept as their wire text — and fills the typed
 * message through the same field readers as the exact parser (`tradeEvent`, `bookData`,
 * `addLevel`, which also keeps each level's checksum digits), without a generic JSON tree.
 *
 * Anything else (other key order, extra or missing fields, escapes, whitespace, other value
 * types, a field the readers reject) declines, and {@link parseKrakenFrame} hands the frame to the
 * exact parser, so results never differ from {@link parseKraken}; the differential tests in
 * `fast.test.ts` hold it to that.
 */
import type { Level, TradeEvent } from "../../../common/market/events.ts";
import { DECLINE, Scanner } from "../scan.ts";
import { addLevel, bookData, parseKraken, tradeEvent, type KrakenBookData, type KrakenMessage } from "./parse.ts";

const scan = new Scanner();

/** `{"symbol":..,"side":..,"price":..,"qty":..,"ord_type":..,"trade_id":..,"timestamp":..}` */
function trade(s: Scanner): TradeEvent {
  s.lit('{"symbol":');
  const venueSymbol = s.str();
  s.lit(',"side":');
  const side = s.str();
  s.lit(',"price":');
  const price = s.num();
  s.lit(',"qty":');
  const qty = s.num();
  s.lit(',"ord_type":');
  s.skipStr();
  s.lit(',"trade_id":');
  const id = s.num();
  s.lit(',"timestamp":');
  const time = s.str();
  s.char(125);
  return tradeEvent(venueSymbol, side, price, qty, id, time);
}

/** `[{"price":..,"qty":..},...]` into `levels`, with each level's checksum digits in `tokens`. */
function levels(s: Scanner, levels: Level[], tokens: string[]): void {
  s.char(91);
  if (s.text.charCodeAt(s.pos) === 93) {
    s.pos++;
    return;
  }
  for (;;) {
    s.lit('{"price":');
    const price = s.num();
    s.lit(',"qty":');
    const qty = s.num();
    s.char(125);
    addLevel(price, qty, levels, tokens);
    const c = s.text.charCodeAt(s.pos++);
    if (c === 93) return;
    if (c !== 44) throw DECLINE;
  }
}

/** `{"symbol":..,"bids":[..],"asks":[..],"checksum":..,"timestamp":..}` */
function book(s: Scanner): KrakenBookData {
  s.lit('{"symbol":');
  const venueSymbol = s.str();
  const bids: Level[] = [];
  const bidTokens: string[] = [];
  const asks: Level[] = [];
  const askTokens: string[] = [];
  s.lit(',"bids":');
  levels(s, bids, bidTokens);
  s.lit(',"asks":');
  levels(s, asks, askTokens);
  s.lit(',"checksum":');
  const checksum = s.num();
  s.lit(',"timestamp":');
  const time = s.str();
  s.char(125);
  return bookData(venueSymbol, checksum, time, bids, bidTokens, asks, askTokens);
}

/** `[item,...]` (at least one item). */
function list<T>(s: Scanner, read: (s: Scanner) => T): T[] {
  const out: T[] = [];
  s.char(91);
  for (;;) {
    out.push(read(s));
    const c = s.text.charCodeAt(s.pos++);
    if (c === 93) return out;
    if (c !== 44) throw DECLINE;
  }
}

function message(s: Scanner): KrakenMessage {
  if (s.at('{"channel":"trade","type":"update","data":')) {
    s.pos = 42;
    return { kind: "trades", trades: list(s, trade) };
  }
  if (s.at('{"channel":"book","type":"')) {
    s.pos = 26;
    const snapshot = s.at("snapshot");
    s.lit(snapshot ? 'snapshot","data":' : 'update","data":');
    return { kind: "book", snapshot, books: list(s, book) };
  }
  throw DECLINE;
}

/**
 * The message of a hot frame of exactly Kraken's shape, or null (declined: use the exact parser).
 * Never throws.
 */
export function parseKrakenFast(text: string): KrakenMessage | null {
  const s = scan.reset(text);
  try {
    const msg = message(s);
    s.char(125);
    s.end();
    return msg;
  } catch {
    return null;
  } finally {
    s.text = "";
  }
}

/** Parses one Kraken v2 frame: the fast path when it recognises the frame, else {@link parseKraken}. */
export function parseKrakenFrame(text: string, receivedAt: number): KrakenMessage {
  return parseKrakenFast(text) ?? parseKraken(text, receivedAt);
}
