/**
 * Fast path for Kraken v2's hot frames: `trade` updates and `book` updates/snapshots, read by a
 * scanner (`../scan.ts`) that matches the exact shape Kraken sends — keys in Kraken's order, no
 * whitespace, prices and quantities as JSON numbers kept as their wire text — and fills the typed
 * message through the same builders as the exact parser (`tradeEvent`, `bookData`), without a
 * generic JSON tree. Prices and quantities become canonical decimals straight from their range of
 * the frame (`decimalIn`: `decimalText`'s result with fewer slices), and each book level's checksum
 * mark is computed over its digits in the frame (`markIn`: the CRC-32 contribution and count of the
 * digits `checksumDigits` gives, with no digit string built). Checksums are read in place; times too,
 * and a time equal to the last one read is one comparison. One-item lists get arrays of exactly
 * one element, and empty level lists share one marks array: less young garbage per frame.
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

/** The content of the last time string read and its UTC ms (a book update and its trade share one, and so do the messages of one instant). */
let lastTime = "";
let lastTimeMs = 0;

/**
 * A JSON string holding an RFC 3339 time: its UTC ms, read in place (no slice); declines what
 * `isoMs` rejects. The same text as the last time read (followed by its closing quote) gives the
 * last answer without reading it again.
 */
function time(s: Scanner): number {
  const t = s.text;
  const start = s.pos + 1;
  const n = lastTime.length;
  if (n > 0 && t.charCodeAt(start - 1) === 34 && t.charCodeAt(start + n) === 34 && t.startsWith(lastTime, start)) {
    s.pos = start + n + 1;
    return lastTimeMs;
  }
  const end = s.strEnd();
  const ms = parseIsoMs(t, start, end);
  if (ms === null) throw DECLINE;
  lastTime = t.slice(start, end);
  lastTimeMs = ms;
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

/** Whether `t` has the chars of `word` and then a quote at `p` (a short constant after its opening quote). */
function quoted(t: string, p: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (t.charCodeAt(p + i) !== word.charCodeAt(i)) return false;
  return t.charCodeAt(p + word.length) === 34;
}

/** A trade's side: the constant strings for the two valid ones (no slice, no builtin call), else its text. */
function readSide(s: Scanner): string {
  const t = s.text;
  const p = s.pos + 1;
  if (t.charCodeAt(p - 1) === 34) {
    if (quoted(t, p, "buy")) {
      s.pos = p + 4;
      return "buy";
    }
    if (quoted(t, p, "sell")) {
      s.pos = p + 5;
      return "sell";
    }
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
/** The checksum marks of the levels the last {@link levels} call read, parallel to them. */
let marks: readonly number[] = NO_MARKS;

/** The mark of the level {@link level} read last. */
let mark = 0;

/** One `{"price":..,"qty":..}` level; its checksum mark goes to {@link mark}. */
function level(s: Scanner): Level {
  s.lit('{"price":');
  const t = s.text;
  const ps = s.pos;
  const pe = s.skipNum();
  s.lit(',"qty":');
  const qs = s.pos;
  const qe = s.skipNum();
  s.char(125);
  digits = 0;
  mark = packMark(markIn(markIn(0, t, ps, pe), t, qs, qe), digits);
  return [decimalIn(t, ps, pe, "price"), decimalIn(t, qs, qe, "qty")];
}

/**
 * `[{"price":..,"qty":..},...]`; the levels' marks go to {@link marks}. A one-level list (the usual
 * update) gets arrays of exactly one element rather than a grown backing store.
 */
function levels(s: Scanner): Level[] {
  s.char(91);
  if (s.text.charCodeAt(s.pos) === 93) {
    s.pos++;
    marks = NO_MARKS;
    return [];
  }
  const first = level(s);
  const firstMark = mark;
  let c = s.text.charCodeAt(s.pos++);
  if (c === 93) {
    marks = [firstMark];
    return [first];
  }
  const out = [first];
  const outMarks = [firstMark];
  while (c === 44) {
    out.push(level(s));
    outMarks.push(mark);
    c = s.text.charCodeAt(s.pos++);
  }
  if (c !== 93) throw DECLINE;
  marks = outMarks;
  return out;
}

/** `{"symbol":..,"bids":[..],"asks":[..],"checksum":..,"timestamp":..}` */
function book(s: Scanner): KrakenBookData {
  s.lit('{"symbol":');
  const venueSymbol = s.sym();
  s.lit(',"bids":');
  const bids = levels(s);
  const bidMarks = marks;
  s.lit(',"asks":');
  const asks = levels(s);
  const askMarks = marks;
  s.lit(',"checksum":');
  const sum = checksum(s);
  s.lit(',"timestamp":');
  const ts = time(s);
  s.char(125);
  return bookData(venueSymbol, sum, ts, bids, bidMarks, asks, askMarks);
}

/** `[item,...]` (at least one item); one item (the usual frame) gets an array of exactly one element. */
function list<T>(s: Scanner, read: (s: Scanner) => T): T[] {
  s.char(91);
  const first = read(s);
  let c = s.text.charCodeAt(s.pos++);
  if (c === 93) return [first];
  const out = [first];
  while (c === 44) {
    out.push(read(s));
    c = s.text.charCodeAt(s.pos++);
  }
  if (c !== 93) throw DECLINE;
  return out;
}

const TRADES = '{"channel":"trade","type":"update","data":';
const BOOK_UPDATE = '{"channel":"book","type":"update","data":';
const BOOK_SNAPSHOT = '{"channel":"book","type":"snapshot","data":';

/** The message, told apart by the channel name's first char so that one prefix is compared. */
function message(s: Scanner): KrakenMessage {
  const c = s.text.charCodeAt(12);
  if (c === 116) {
    s.lit(TRADES);
    return { kind: "trades", trades: list(s, trade) };
  }
  if (c !== 98) throw DECLINE;
  const snapshot = !s.at(BOOK_UPDATE);
  if (snapshot) s.lit(BOOK_SNAPSHOT);
  else s.pos = BOOK_UPDATE.length;
  return { kind: "book", snapshot, books: list(s, book) };
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
