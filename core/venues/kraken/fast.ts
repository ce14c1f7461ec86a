/**
 * Fast path for Kraken v2's hot frames: `trade` updates and `book` updates/snapshots, read by a
 * scanner (`../scan.ts`) that matches the exact shape Kraken sends — keys in Kraken's order, no
 * whitespace, prices and quantities as JSON numbers kept as their wire text — and fills the typed
 * message through the same builders as the exact parser (`tradeEvent`, `bookData`), without a
 * generic JSON tree. Prices and quantities become canonical decimals straight from their range of
 * the frame (`decimalIn`: `decimalText`'s result with fewer slices), and each book level's checksum
 * mark is computed over its digits in the frame (`markIn`: the CRC-32 contribution and count of the
 * digits `checksumDigits` gives, with no digit string built); times and checksums are read in place
 * too (no slice). Empty level lists share one marks array.
 *
 * Anything else (other key order, extra or missing fields, escapes, whitespace, other value
 * types, a field the readers reject) declines, and {@link parseKrakenFrame} hands the frame to the
 * exact parser, so results never differ from {@link parseKraken}; the differential tests in
 * `fast.test.ts` hold it to that.
 */
import type { Level, TradeEvent } from "../../../common/market/events.ts";
import { decimalIn, DECLINE, Scanner } from "../scan.ts";
import { crc32Range } from "../crc32.ts";
import { parseIsoMs } from "../time.ts";
import { bookData, packMark, parseKraken, tradeEvent, type KrakenBookData, type KrakenMessage } from "./parse.ts";

const scan = new Scanner();

/** How many checksum digits the {@link markIn} calls of the current level have fed. */
let digits = 0;

/**
 * Feeds the checksum digits of the number `t[start, end)` (a JSON number already matched) into the
 * running CRC `crc` straight from the frame — the digits `checksumDigits` gives (no dot, no leading
 * zeros, at least one digit), with no string built — and adds their count to {@link digits};
 * declines what `checksumDigits` rejects (sign, exponent).
 */
function markIn(crc: number, t: string, start: number, end: number): number {
  let dot = -1;
  for (let i = start; i < end; i++) {
    const c = t.charCodeAt(i);
    if (c === 46 && dot < 0 && i > start && i < end - 1) dot = i;
    else if (c < 48 || c > 57) throw DECLINE;
  }
  if (end === start) throw DECLINE;
  let k = start;
  while (k < end - 1 && (k === dot || t.charCodeAt(k) === 48)) k++;
  digits += dot > k ? end - k - 1 : end - k;
  return crc32Range(crc, t, k, end, dot);
}

/** A JSON string holding an RFC 3339 time: its UTC ms, read in place (no slice); declines what `isoMs` rejects. */
function time(s: Scanner): number {
  const start = s.pos + 1;
  const ms = parseIsoMs(s.text, start, s.strEnd());
  if (ms === null) throw DECLINE;
  return ms;
}

/**
 * A book checksum: a JSON integer of at most 10 digits and at most 0xffffffff, read in place (what
 * `safeInt` and `bookData` accept); declines anything else (the exact parser reports it).
 */
function checksum(s: Scanner): number {
  const t = s.text;
  const start = s.pos;
  let i = start;
  let n = 0;
  for (let c = t.charCodeAt(i); c >= 48 && c <= 57 && i - start < 10; c = t.charCodeAt(++i)) n = n * 10 + (c - 48);
  if (i === start || (i - start > 1 && t.charCodeAt(start) === 48) || n > 0xffffffff) throw DECLINE;
  s.pos = i;
  return n;
}

/** A trade's side: the constant strings for the two valid ones, no slice. */
function readSide(s: Scanner): string {
  if (s.at('"buy"')) {
    s.pos += 5;
    return "buy";
  }
  if (s.at('"sell"')) {
    s.pos += 6;
    return "sell";
  }
  return s.str();
}

/** `{"symbol":..,"side":..,"price":..,"qty":..,"ord_type":..,"trade_id":..,"timestamp":..}` */
function trade(s: Scanner): TradeEvent {
  s.lit('{"symbol":');
  const venueSymbol = s.sym();
  s.lit(',"side":');
  const side = readSide(s);
  s.lit(',"price":');
  const price = s.decNum("price");
  s.lit(',"qty":');
  const qty = s.decNum("qty");
  s.lit(',"ord_type":');
  s.skipStr();
  s.lit(',"trade_id":');
  const id = s.num();
  s.lit(',"timestamp":');
  const ts = time(s);
  s.char(125);
  return tradeEvent(venueSymbol, side, price, qty, id, ts);
}

/** No levels' marks: shared by every empty side (marks are only read). */
const NO_MARKS: readonly number[] = [];

/** `[{"price":..,"qty":..},...]` into `levels`; returns each level's checksum mark. */
function levels(s: Scanner, levels: Level[]): readonly number[] {
  s.char(91);
  if (s.text.charCodeAt(s.pos) === 93) {
    s.pos++;
    return NO_MARKS;
  }
  const t = s.text;
  const marks: number[] = [];
  for (;;) {
    s.lit('{"price":');
    const ps = s.pos;
    const pe = s.skipNum();
    s.lit(',"qty":');
    const qs = s.pos;
    const qe = s.skipNum();
    s.char(125);
    levels.push([decimalIn(t, ps, pe, "price"), decimalIn(t, qs, qe, "qty")]);
    digits = 0;
    marks.push(packMark(markIn(markIn(0, t, ps, pe), t, qs, qe), digits));
    const c = s.text.charCodeAt(s.pos++);
    if (c === 93) return marks;
    if (c !== 44) throw DECLINE;
  }
}

/** `{"symbol":..,"bids":[..],"asks":[..],"checksum":..,"timestamp":..}` */
function book(s: Scanner): KrakenBookData {
  s.lit('{"symbol":');
  const venueSymbol = s.sym();
  const bids: Level[] = [];
  const asks: Level[] = [];
  s.lit(',"bids":');
  const bidMarks = levels(s, bids);
  s.lit(',"asks":');
  const askMarks = levels(s, asks);
  s.lit(',"checksum":');
  const sum = checksum(s);
  s.lit(',"timestamp":');
  const ts = time(s);
  s.char(125);
  return bookData(venueSymbol, sum, ts, bids, bidMarks, asks, askMarks);
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
