/** Coinbase's public REST: `/api/v3/brokerage/market/products` (instruments) and their one-minute candles. */
import type { Instrument } from "../../../common/api/market.ts";
import type { VenueRest } from "../rest-api.ts";
import { dec, decimalsOf, list, obj, parseJson, text, type Obj } from "../rest-parse.ts";

function coinbaseInstrument(p: Obj): Instrument {
  const id = text(p.product_id, "product_id");
  const tick = dec(p.price_increment ?? p.quote_increment, `${id}.price_increment`);
  const lot = dec(p.base_increment, `${id}.base_increment`);
  const base = text(p.base_currency_id ?? id.split("-")[0], `${id}.base`);
  const quote = text(p.quote_currency_id ?? id.split("-")[1], `${id}.quote`);
  const trading = (p.status === undefined || p.status === "online") && p.trading_disabled !== true;
  const minNotional = p.quote_min_size === undefined ? {} : { minNotional: dec(p.quote_min_size, `${id}.quote_min_size`) };
  return { symbol: `${base}/${quote}`.toUpperCase(), venueSymbol: id, base, quote, tickSize: tick, lotSize: lot, pricePrecision: decimalsOf(tick), sizePrecision: decimalsOf(lot), status: trading ? "trading" : "halted", ...minNotional };
}

/** Coinbase's REST paths and parsers. */
export const COINBASE_REST: VenueRest = {
  instrumentsPath: "/api/v3/brokerage/market/products",
  parseInstruments: (body) => list(obj(parseJson(body, "coinbase"), "coinbase").products, "coinbase products").map((v) => coinbaseInstrument(obj(v, "product"))),
  klinesPath: (venueSymbol, from, to, limit) =>
    `/api/v3/brokerage/market/products/${encodeURIComponent(venueSymbol)}/candles?start=${Math.floor(from / 1000)}&end=${Math.floor(to / 1000)}&granularity=ONE_MINUTE&limit=${Math.min(limit, 350)}`,
  parseKlines: (body) =>
    list(obj(parseJson(body, "coinbase"), "coinbase").candles, "coinbase candles").map((v) => {
      const c = obj(v, "coinbase candle");
      return { t: Number(text(c.start, "start")) * 1000, open: dec(c.open, "open"), high: dec(c.high, "high"), low: dec(c.low, "low"), close: dec(c.close, "close"), volume: dec(c.volume, "volume") };
    }),
  restSymbol: (symbol) => symbol.replace("/", "-"),
};
