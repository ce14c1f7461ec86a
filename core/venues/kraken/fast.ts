/**
 * Fast path for Kraken v2's hot frames: `trade` updates and `book` updates/snapshots, read by a
 * scanner (`../scan.ts`) that matches the exact shape Kraken sends — keys in Kraken's order, no
 * whitespace, prices and quantities as JSON numbers kept as their wire text — and fills the typed
 * message through the same builders as the exact parser (`tradeEvent`, `bookData`), without a
 * generic JSON tree. Prices and quantities become canonical decimals straight from their range of
 * the frame (`decimalIn`: `decimalText`'s result with fewer slices); a book level's numbers are read
 * in one pass that also computes the level's checksum mark over its digits in the frame
 * (`levelNumber`: the CRC-32 contribution and count of the digits `checksumDigits` gives, with no
 * digit string built). Checksums are read in place; times too,
 * and a time equal to the last one read is one comparison. One-item lists get arrays of exactly
 * one element, and empty level lists share one marks array: less young garbage per frame.
 *
 * Anything else (other key order, extra or missing fields, escapes, whitespace, other value
 * types, a field the readers reject) declines, and {@link parseKrakenFrame} hands the frame to the
 * exact parser, so results never differ from {@link parseKraken}; the differential tests in
 * `fast.test.ts` hold it to that.
 */
import type { Level, TradeEvent } from "../../../common/market/events.ts";
import { DECIMAL_SCALE, MAX_INTEGER_DIGITS } from "../../../common/market/decimal.ts";
import { DECLINE, Scanner } from "../scan.ts";
import { crc32Char } from "../crc32.ts";
import { parseIsoMs } from "../time.ts";
import { bookData, packMark, parseKraken, tradeEvent, type KrakenBookData, type KrakenMessage } from "./parse.ts";

const scan = new Scanner();

/** The running CRC and digit count of the checksum digits of the level being read. */
let levelCrc = 0;
let digits = 0;

/**
 * A level's price or quantity, read in one pass: a plain JSON number (`0` or `[1-9]\d*`, then
 * optionally `.\d+`) gives its canonical decimal — `decimalIn`'s result: trailing fraction zeros
 * and an all-zero fraction dropped — and its checksum digits (the digits without the dot and
 * without leading zeros, at least one: `checksumDigits`) go into {@link levelCrc} and
 * {@link digits} char by char, with no digit string built. A sign, an exponent or a value beyond
 * the decimal limits declines (the exact parser decides).
 */
function levelNumber(s: Scanner): string {
  const t = s.text;
  const start = s.pos;
  let i = start;
  let c = t.charCodeAt(i);
  let crc = levelCrc;
  let n = digits;
  let significant = false;
  if (c === 48) c = t.charCodeAt(++i);
  else if (c >= 49 && c <= 57) {
    significant = true;
    do {
      crc = crc32Char(crc, c);
      n++;
      c = t.charCodeAt(++i);
    } while (c >= 48 && c <= 57);
  } else throw DECLINE;
  const intEnd = i;
  let end = i;
  if (c === 46) {
    const first = ++i;
    for (c = t.charCodeAt(i); c >= 48 && c <= 57; c = t.charCodeAt(++i)) {
      if (c !== 48) {
        significant = true;
        end = i + 1;
      }
      if (significant) {
        crc = crc32Char(crc, c);
        n++;
      }
    }
    if (i === first) throw DECLINE;
  }
  if (c === 101 || c === 69 || intEnd - start > MAX_INTEGER_DIGITS || end - intEnd - 1 > DECIMAL_SCALE) throw DECLINE;
  if (!significant) {
    crc = crc32Char(crc, 48);
    n++;
  }
  s.pos = i;
  levelCrc = crc;
  digits = n;
  return t.slice(start, end);
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
  levelCrc = 0;
  digits = 0;
  const price = levelNumber(s);
  s.lit(',"qty":');
  const qty = levelNumber(s);
  s.char(125);
  mark = packMark(levelCrc, digits);
  return [price, qty];
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
