/** Kraken's public REST: `/0/public/AssetPairs` (instruments) and `/0/public/OHLC` (one-minute klines). */
import type { Instrument } from "../../../common/api/market.ts";
import type { VenueRest } from "../rest-api.ts";
import { dec, fail, list, obj, parseJson, text, type Obj } from "../rest-parse.ts";
import { krakenSymbol } from "../symbols.ts";

function krakenInstrument(name: string, p: Obj): Instrument {
  const ws = text(p.wsname, `${name}.wsname`);
  const symbol = krakenSymbol(ws) ?? fail(`${name}.wsname: not BASE/QUOTE`);
  const [base, quote] = symbol.split("/") as [string, string];
  const pricePrecision = Number(p.pair_decimals);
  const sizePrecision = Number(p.lot_decimals);
  if (!Number.isInteger(pricePrecision) || !Number.isInteger(sizePrecision)) fail(`${name}: pair_decimals/lot_decimals`);
  const tick = p.tick_size === undefined ? `${pricePrecision === 0 ? "1" : `0.${"0".repeat(pricePrecision - 1)}1`}` : dec(p.tick_size, `${name}.tick_size`);
  const lot = sizePrecision === 0 ? "1" : `0.${"0".repeat(sizePrecision - 1)}1`;
  const status = p.status === undefined || p.status === "online" ? "trading" : "halted";
  const minNotional = p.costmin === undefined ? {} : { minNotional: dec(p.costmin, `${name}.costmin`) };
  return { symbol, venueSymbol: text(p.altname, `${name}.altname`), base, quote, tickSize: tick, lotSize: lot, pricePrecision, sizePrecision, status, ...minNotional };
}

function result(body: string): Obj {
  const root = obj(parseJson(body, "kraken"), "kraken");
  const errors = list(root.error ?? [], "kraken error");
  if (errors.length > 0) fail(`kraken: ${String(errors[0])}`);
  return obj(root.result, "kraken result");
}

/** Kraken's REST paths and parsers. */
export const KRAKEN_REST: VenueRest = {
  instrumentsPath: "/0/public/AssetPairs",
  parseInstruments: (body) => Object.entries(result(body)).map(([name, v]) => krakenInstrument(name, obj(v, name))),
  klinesPath: (venueSymbol, from) => `/0/public/OHLC?pair=${encodeURIComponent(venueSymbol)}&interval=1&since=${Math.floor(from / 1000) - 1}`,
  parseKlines: (body) => {
    const rows = Object.entries(result(body)).find(([k]) => k !== "last")?.[1] ?? [];
    return list(rows, "kraken OHLC").map((row) => {
      const a = list(row, "kraken candle");
      return { t: Number(a[0]) * 1000, open: dec(a[1], "open"), high: dec(a[2], "high"), low: dec(a[3], "low"), close: dec(a[4], "close"), volume: dec(a[6], "volume") };
    });
  },
  restSymbol: (symbol) => symbol.replace("BTC/", "XBT/").replace("/", ""),
};
