/**
 * Binance `exchangeInfo` symbol filters that an order must pass before it is sent: PRICE_FILTER
 * (`tickSize`, `minPrice`, `maxPrice`), LOT_SIZE (`stepSize`, `minQty`, `maxQty`) and NOTIONAL /
 * MIN_NOTIONAL (`minNotional`). A failing order is refused locally with the filter named, exactly
 * as the venue would answer `-1013 Filter failure: <FILTER>`, so nothing off-grid is ever sent.
 */
import { BinanceParseError } from "./parse.ts";

/** The filters of one symbol (0 = no limit). */
export interface SymbolFilters {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: number;
  minPrice: number;
  maxPrice: number;
  stepSize: number;
  minQty: number;
  maxQty: number;
  minNotional: number;
}

/** A refusal naming the venue's rule. */
export interface FilterRefusal {
  rule: "PRICE_FILTER" | "LOT_SIZE" | "NOTIONAL";
  reason: string;
}

type Obj = Record<string, unknown>;

function num(f: Obj, key: string): number {
  const v = f[key];
  const n = typeof v === "string" ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new BinanceParseError(`filter ${String(f.filterType)}: field "${key}" is not a decimal`);
  return n;
}

/** The filters of every symbol of an `exchangeInfo` answer, by Binance symbol. */
export function parseExchangeFilters(value: unknown): Map<string, SymbolFilters> {
  const symbols = (value as { symbols?: unknown } | null)?.symbols;
  if (!Array.isArray(symbols)) throw new BinanceParseError('exchangeInfo: field "symbols" is not an array');
  const out = new Map<string, SymbolFilters>();
  for (const s of symbols as Obj[]) {
    const fs = Array.isArray(s.filters) ? (s.filters as Obj[]) : [];
    const f: SymbolFilters = { symbol: String(s.symbol), baseAsset: String(s.baseAsset), quoteAsset: String(s.quoteAsset), tickSize: 0, minPrice: 0, maxPrice: 0, stepSize: 0, minQty: 0, maxQty: 0, minNotional: 0 };
    for (const x of fs) {
      if (x.filterType === "PRICE_FILTER") Object.assign(f, { tickSize: num(x, "tickSize"), minPrice: num(x, "minPrice"), maxPrice: num(x, "maxPrice") });
      if (x.filterType === "LOT_SIZE") Object.assign(f, { stepSize: num(x, "stepSize"), minQty: num(x, "minQty"), maxQty: num(x, "maxQty") });
      if (x.filterType === "NOTIONAL" || x.filterType === "MIN_NOTIONAL") f.minNotional = num(x, "minNotional");
    }
    out.set(f.symbol, f);
  }
  return out;
}

/** True when `value` is a whole number of `step`s (to 1e-9 of a step). */
export function onGrid(value: number, step: number): boolean {
  if (step <= 0) return true;
  const n = value / step;
  return Math.abs(n - Math.round(n)) < 1e-9 * Math.max(1, Math.abs(n));
}

/** The first filter an order breaks, or null. `price` is the limit price, or the reference price of a market order (notional only). */
export function checkFilters(f: SymbolFilters, qty: number, price: number | null, reference: number | null): FilterRefusal | null {
  if (price !== null) {
    if (f.minPrice > 0 && price < f.minPrice) return { rule: "PRICE_FILTER", reason: `price ${price} is below the minimum ${f.minPrice}` };
    if (f.maxPrice > 0 && price > f.maxPrice) return { rule: "PRICE_FILTER", reason: `price ${price} is above the maximum ${f.maxPrice}` };
    if (!onGrid(price, f.tickSize)) return { rule: "PRICE_FILTER", reason: `price ${price} is not a multiple of the tick size ${f.tickSize}` };
  }
  if (f.minQty > 0 && qty < f.minQty) return { rule: "LOT_SIZE", reason: `quantity ${qty} is below the minimum ${f.minQty}` };
  if (f.maxQty > 0 && qty > f.maxQty) return { rule: "LOT_SIZE", reason: `quantity ${qty} is above the maximum ${f.maxQty}` };
  if (!onGrid(qty, f.stepSize)) return { rule: "LOT_SIZE", reason: `quantity ${qty} is not a multiple of the step size ${f.stepSize}` };
  const px = price ?? reference;
  if (px !== null && f.minNotional > 0 && qty * px < f.minNotional) return { rule: "NOTIONAL", reason: `notional ${qty * px} is below the minimum ${f.minNotional}` };
  return null;
}
