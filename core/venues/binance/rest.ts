/** Binance's public REST: `/api/v3/exchangeInfo` (instruments) and `/api/v3/klines` (one-minute klines). */
import type { Instrument } from "../../../common/api/market.ts";
import type { VenueRest } from "../rest-api.ts";
import { dec, decimalsOf, list, obj, parseJson, text, type Obj } from "../rest-parse.ts";

function binanceInstrument(s: Obj): Instrument {
  const name = text(s.symbol, "symbol");
  const filters = list(s.filters ?? [], `${name}.filters`).map((f) => obj(f, `${name}.filter`));
  const priceFilter = filters.find((f) => f.filterType === "PRICE_FILTER");
  const lotFilter = filters.find((f) => f.filterType === "LOT_SIZE");
  const tick = priceFilter ? dec(priceFilter.tickSize, `${name}.tickSize`) : "0.00000001";
  const lot = lotFilter ? dec(lotFilter.stepSize, `${name}.stepSize`) : "0.00000001";
  const base = text(s.baseAsset, `${name}.baseAsset`);
  const quote = text(s.quoteAsset, `${name}.quoteAsset`);
  const notional = filters.find((f) => f.filterType === "NOTIONAL" || f.filterType === "MIN_NOTIONAL");
  const minNotional = notional?.minNotional === undefined ? undefined : dec(notional.minNotional, `${name}.minNotional`);
  return {
    symbol: `${base}/${quote}`,
    venueSymbol: name,
    base,
    quote,
    tickSize: tick,
    lotSize: lot,
    pricePrecision: decimalsOf(tick),
    sizePrecision: decimalsOf(lot),
    status: s.status === "TRADING" ? "trading" : "halted",
    ...(minNotional === undefined ? {} : { minNotional }),
  };
}

/** Binance's REST paths and parsers. */
export const BINANCE_REST: VenueRest = {
  instrumentsPath: "/api/v3/exchangeInfo",
  parseInstruments: (body) => list(obj(parseJson(body, "binance"), "binance").symbols, "binance symbols").map((v) => binanceInstrument(obj(v, "symbol"))),
  klinesPath: (venueSymbol, from, to, limit) => `/api/v3/klines?symbol=${encodeURIComponent(venueSymbol)}&interval=1m&startTime=${from}&endTime=${to}&limit=${Math.min(limit, 1000)}`,
  parseKlines: (body) =>
    list(parseJson(body, "binance"), "binance klines").map((row) => {
      const a = list(row, "binance kline");
      return { t: Number(a[0]), open: dec(a[1], "open"), high: dec(a[2], "high"), low: dec(a[3], "low"), close: dec(a[4], "close"), volume: dec(a[5], "volume") };
    }),
  restSymbol: (symbol) => symbol.replace("/", "").toUpperCase(),
};
