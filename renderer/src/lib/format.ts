/** Number formatting for prices, sizes, percentages and compact volumes. */

/** Decimals that show about four significant digits of a price (at least 2, at most 10). */
export function priceDecimals(price: number): number {
  const a = Math.abs(price);
  if (a === 0 || !Number.isFinite(a)) return 2;
  return Math.min(10, Math.max(2, 3 - Math.floor(Math.log10(a))));
}

/**
 * The fewest decimals (0 to `max`) that write every one of `values` exactly, float noise aside
 * (0.30000000000000004 needs 1): the precision a chart's price axis needs for a series, so a
 * 1.08523 quote is not shown as 1.09 and a 0.00001234 coin not as 0.00. The noise allowed is
 * relative (a billionth of the scaled value), so neither a 9e-8 price nor a 12,000,000.25 one
 * passes as a whole number.
 */
export function exactDecimals(values: Iterable<number>, max = 10): number {
  let decimals = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    while (decimals < max) {
      const scaled = Math.abs(v) * 10 ** decimals;
      if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * scaled) break;
      decimals++;
    }
  }
  return decimals;
}

/** A price with a fixed number of decimals (by default chosen from its magnitude). */
export function formatPrice(price: number, decimals = priceDecimals(price)): string {
  if (!Number.isFinite(price)) return "—";
  return numberFormat(decimals, decimals).format(price);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** An en-US number format with these fraction digits, made once (making one costs far more than using it). */
function numberFormat(minDigits: number, maxDigits: number): Intl.NumberFormat {
  const key = `${minDigits}:${maxDigits}`;
  let f = numberFormats.get(key);
  if (f === undefined) {
    f = new Intl.NumberFormat("en-US", { minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits });
    numberFormats.set(key, f);
  }
  return f;
}

/** 1234567 → "1.23M". */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return "—";
  const a = Math.abs(value);
  if (a >= 1e9) return `${(value / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(value / 1e3).toFixed(2)}K`;
  return value.toFixed(a >= 100 ? 0 : a >= 1 ? 2 : 4);
}

/** A fraction as a signed percentage: 0.0123 → "+1.23%"; null → "—". */
export function formatPercent(fraction: number | null, signed = true): string {
  if (fraction === null || !Number.isFinite(fraction)) return "—";
  const sign = signed && fraction > 0 ? "+" : "";
  return `${sign}${(fraction * 100).toFixed(2)}%`;
}

/** A plain number with up to `digits` decimals; null → "—". */
export function formatNumber(value: number | null, digits = 2): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return numberFormat(0, digits).format(value);
}
