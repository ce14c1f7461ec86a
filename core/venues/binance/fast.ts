/**
 * Fast path for Binance's hot frames: `trade`, `aggTrade` and `depthUpdate`, raw or wrapped in a
 * combined-stream envelope `{"stream":..,"data":..}`, read by a scanner (`../scan.ts`) that
 * matches the exact shape Binance sends — keys in Binance's order, no whitespace, numbers and
 * strings as their wire text — and fills the typed message through the same builders as the exact
 * parser (`tradeMessage`, `diffMessage`), without a generic JSON tree. Prices and sizes become
 * canonical decimals straight from their range of the frame (`decimalIn`: `decimalText`'s result
 * with one slice).
 *
 * Anything else (other key order, extra or missing fields, escapes, whitespace, other value
 * types, a field the readers reject) declines, and {@link parseBinanceFrame} hands the frame to the
 * exact parser, so results never differ from {@link parseBinance}; the differential tests in
 * `fast.test.ts` hold it to that.
 */
import type { Level } from "../../../common/market/events.ts";
import { DECLINE, Scanner } from "../scan.ts";
import type { BinanceSymbols } from "../symbols.ts";
import { diffMessage, parseBinance, tradeMessage, type BinanceMessage } from "./parse.ts";

const scan = new Scanner();

function trade(s: Scanner, symbols: BinanceSymbols): BinanceMessage {
  s.lit('{"e":"trade","E":');
  s.skipNum();
  s.lit(',"s":');
  const venueSymbol = s.sym();
  s.lit(',"t":');
  const id = s.num();
  s.lit(',"p":');
  const p = s.decStr("p");
  s.lit(',"q":');
  const q = s.decStr("q");
  s.lit(',"T":');
  const time = s.num();
  s.lit(',"m":');
  const m = s.bool();
  s.lit(',"M":');
  s.bool();
  s.char(125);
  return tradeMessage("trade", venueSymbol, id, p, q, time, m, symbols);
}

function aggTrade(s: Scanner, symbols: BinanceSymbols): BinanceMessage {
  s.lit('{"e":"aggTrade","E":');
  s.skipNum();
  s.lit(',"s":');
  const venueSymbol = s.sym();
  s.lit(',"a":');
  const id = s.num();
  s.lit(',"p":');
  const p = s.decStr("p");
  s.lit(',"q":');
  const q = s.decStr("q");
  s.lit(',"f":');
  s.skipNum();
  s.lit(',"l":');
  s.skipNum();
  s.lit(',"T":');
  const time = s.num();
  s.lit(',"m":');
  const m = s.bool();
  s.lit(',"M":');
  s.bool();
  s.char(125);
  return tradeMessage("aggTrade", venueSymbol, id, p, q, time, m, symbols);
}

/** `[["price","qty"],...]` */
function levels(s: Scanner): Level[] {
  const out: Level[] = [];
  s.char(91);
  if (s.text.charCodeAt(s.pos) === 93) {
    s.pos++;
    return out;
  }
  for (;;) {
    s.char(91);
    const price = s.decStr("price");
    s.char(44);
    const qty = s.decStr("qty");
    s.char(93);
    out.push([price, qty]);
    const c = s.text.charCodeAt(s.pos++);
    if (c === 93) return out;
    if (c !== 44) throw DECLINE;
  }
}

function depthUpdate(s: Scanner, symbols: BinanceSymbols): BinanceMessage {
  s.lit('{"e":"depthUpdate","E":');
  const time = s.num();
  s.lit(',"s":');
  const venueSymbol = s.sym();
  s.lit(',"U":');
  const first = s.num();
  s.lit(',"u":');
  const last = s.num();
  s.lit(',"b":');
  const bids = levels(s);
  s.lit(',"a":');
  const asks = levels(s);
  s.char(125);
  return diffMessage(venueSymbol, first, last, bids, asks, time, symbols);
}

function payload(s: Scanner, symbols: BinanceSymbols): BinanceMessage {
  if (s.at('{"e":"trade",')) return trade(s, symbols);
  if (s.at('{"e":"depthUpdate",')) return depthUpdate(s, symbols);
  if (s.at('{"e":"aggTrade",')) return aggTrade(s, symbols);
  throw DECLINE;
}

/**
 * The message of a hot frame of exactly Binance's shape, or null (declined: use the exact parser).
 * Never throws.
 */
export function parseBinanceFast(text: string, symbols: BinanceSymbols): BinanceMessage | null {
  const s = scan.reset(text);
  try {
    const combined = s.at('{"stream":');
    if (combined) {
      s.pos = 10;
      s.skipStr();
      s.lit(',"data":');
    }
    const msg = payload(s, symbols);
    if (combined) s.char(125);
    s.end();
    return msg;
  } catch {
    return null;
  } finally {
    s.text = "";
  }
}

/** Parses one Binance frame: the fast path when it recognises the frame, else {@link parseBinance}. */
export function parseBinanceFrame(text: string, symbols: BinanceSymbols, receivedAt: number): BinanceMessage {
  return parseBinanceFast(text, symbols) ?? parseBinance(text, symbols, receivedAt);
}
