/**
 * Public REST endpoints of each venue: instruments (tick size, lot size, precisions, base/quote,
 * status) and one-minute klines. Each venue has a path builder and a parser; parsers validate the
 * shape, keep every price and size as an exact decimal string, and throw {@link RestFormatError}
 * with a clear message on anything unexpected. Candles come back oldest first, `t` = open time.
 */
import type { Candle, Instrument } from "../../common/api/market.ts";
import { canonicalDecimal } from "../../common/market/decimal.ts";
import type { VenueId } from "../../common/market/events.ts";
import { krakenSymbol } from "../venues/symbols.ts";

/** A REST answer did not have the documented shape. */
export class RestFormatError extends Error {}

type Obj = Record<string, unknown>;

function fail(what: string): never {
  throw new RestFormatError(what);
}

function obj(v: unknown, what: string): Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : fail(`${what}: expected an object`);
}

function list(v: unknown, what: string): unknown[] {
  return Array.isArray(v) ? v : fail(`${what}: expected an array`);
}

function dec(v: unknown, what: string): string {
  const c = typeof v === "string" ? canonicalDecimal(v) : null;
  return c ?? fail(`${what}: expected a decimal string`);
}

function text(v: unknown, what: string): string {
  return typeof v === "string" && v.length > 0 ? v : fail(`${what}: expected a string`);
}

function decimalsOf(canonical: string): number {
  const dot = canonical.indexOf(".");
  return dot < 0 ? 0 : canonical.length - dot - 1;
}

function parseJson(body: string, venue: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return fail(`${venue}: response is not JSON`);
  }
}

/** The path (with query) of a venue's instrument list. */
export function instrumentsPath(venue: VenueId): string {
  if (venue === "kraken") return "/0/public/AssetPairs";
  if (venue === "coinbase") return "/api/v3/brokerage/market/products";
  return "/api/v3/exchangeInfo";
}

/** Parses a venue's instrument list. */
export function parseInstruments(venue: VenueId, body: string): Instrument[] {
  const root = obj(parseJson(body, venue), venue);
  if (venue === "kraken") {
    const errors = list(root.error ?? [], "kraken error");
    if (errors.length > 0) fail(`kraken: ${String(errors[0])}`);
    return Object.entries(obj(root.result, "kraken result")).map(([name, v]) => krakenInstrument(name, obj(v, name)));
  }
  if (venue === "coinbase") return list(root.products, "coinbase products").map((v) => coinbaseInstrument(obj(v, "product")));
  return list(root.symbols, "binance symbols").map((v) => binanceInstrument(obj(v, "symbol")));
}

function krakenInstrument(name: string, p: Obj): Instrument {
  const ws = text(p.wsname, `${name}.wsname`);
  const symbol = krakenSymbol(ws) ?? fail(`${name}.wsname: not BASE/QUOTE`);
  const [base, quote] = symbol.split("/") as [string, string];
  const pricePrecision = Number(p.pair_decimals);
  const sizePrecision = Number(p.lot_decimals);
  if (!Number.isInteger(pricePrecision) || !Number.isInteger(sizePrecision)) fail(`${name}: pair_decimals/lot_decimals`);
  const tick = p.tick_size === undefined ? `${pricePrecision === 0 ? "1" : `0.${"0".repeat(pricePrecision - 1)}1`}` : dec(p.tick_size, `${name}.tick_size`);
  const lot = sizePrecision === 0 ? "1" : `0.${"0".repeat(sizePrecision - 1)}1`;
  return { symbol, venueSymbol: text(p.altname, `${name}.altname`), base, quote, tickSize: tick, lotSize: lot, pricePrecision, sizePrecision, status: p.status === undefined || p.status === "online" ? "trading" : "halted" };
}

function coinbaseInstrument(p: Obj): Instrument {
  const id = text(p.product_id, "product_id");
  const tick = dec(p.price_increment ?? p.quote_increment, `${id}.price_increment`);
  const lot = dec(p.base_increment, `${id}.base_increment`);
  const base = text(p.base_currency_id ?? id.split("-")[0], `${id}.base`);
  const quote = text(p.quote_currency_id ?? id.split("-")[1], `${id}.quote`);
  const trading = (p.status === undefined || p.status === "online") && p.trading_disabled !== true;
  return { symbol: `${base}/${quote}`.toUpperCase(), venueSymbol: id, base, quote, tickSize: tick, lotSize: lot, pricePrecision: decimalsOf(tick), sizePrecision: decimalsOf(lot), status: trading ? "trading" : "halted" };
}

function binanceInstrument(s: Obj): Instrument {
  const name = text(s.symbol, "symbol");
  const filters = list(s.filters ?? [], `${name}.filters`).map((f) => obj(f, `${name}.filter`));
  const priceFilter = filters.find((f) => f.filterType === "PRICE_FILTER");
  const lotFilter = filters.find((f) => f.filterType === "LOT_SIZE");
  const tick = priceFilter ? dec(priceFilter.tickSize, `${name}.tickSize`) : "0.00000001";
  const lot = lotFilter ? dec(lotFilter.stepSize, `${name}.stepSize`) : "0.00000001";
  const base = text(s.baseAsset, `${name}.baseAsset`);
  const quote = text(s.quoteAsset, `${name}.quoteAsset`);
  return { symbol: `${base}/${quote}`, venueSymbol: name, base, quote, tickSize: tick, lotSize: lot, pricePrecision: decimalsOf(tick), sizePrecision: decimalsOf(lot), status: s.status === "TRADING" ? "trading" : "halted" };
}

/** The path of one-minute klines for `venueSymbol` covering [from, to] (UTC ms). */
export function klinesPath(venue: VenueId, venueSymbol: string, from: number, to: number, limit: number): string {
  if (venue === "kraken") return `/0/public/OHLC?pair=${encodeURIComponent(venueSymbol)}&interval=1&since=${Math.floor(from / 1000) - 1}`;
  if (venue === "coinbase") {
    return `/api/v3/brokerage/market/products/${encodeURIComponent(venueSymbol)}/candles?start=${Math.floor(from / 1000)}&end=${Math.floor(to / 1000)}&granularity=ONE_MINUTE&limit=${Math.min(limit, 350)}`;
  }
  return `/api/v3/klines?symbol=${encodeURIComponent(venueSymbol)}&interval=1m&startTime=${from}&endTime=${to}&limit=${Math.min(limit, 1000)}`;
}

/** Parses klines, oldest first. */
export function parseKlines(venue: VenueId, body: string): Candle[] {
  const root = parseJson(body, venue);
  let out: Candle[];
  if (venue === "kraken") {
    const r = obj(root, "kraken");
    const errors = list(r.error ?? [], "kraken error");
    if (errors.length > 0) fail(`kraken: ${String(errors[0])}`);
    const result = obj(r.result, "kraken result");
    const rows = Object.entries(result).find(([k]) => k !== "last")?.[1] ?? [];
    out = list(rows, "kraken OHLC").map((row) => {
      const a = list(row, "kraken candle");
      return { t: Number(a[0]) * 1000, open: dec(a[1], "open"), high: dec(a[2], "high"), low: dec(a[3], "low"), close: dec(a[4], "close"), volume: dec(a[6], "volume") };
    });
  } else if (venue === "coinbase") {
    out = list(obj(root, "coinbase").candles, "coinbase candles").map((v) => {
      const c = obj(v, "coinbase candle");
      return { t: Number(text(c.start, "start")) * 1000, open: dec(c.open, "open"), high: dec(c.high, "high"), low: dec(c.low, "low"), close: dec(c.close, "close"), volume: dec(c.volume, "volume") };
    });
  } else {
    out = list(root, "binance klines").map((row) => {
      const a = list(row, "binance kline");
      return { t: Number(a[0]), open: dec(a[1], "open"), high: dec(a[2], "high"), low: dec(a[3], "low"), close: dec(a[4], "close"), volume: dec(a[5], "volume") };
    });
  }
  if (out.some((c) => !Number.isSafeInteger(c.t))) fail(`${venue}: candle time is not an integer`);
  return out.sort((a, b) => a.t - b.t);
}
