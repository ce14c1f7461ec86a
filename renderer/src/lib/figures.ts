/**
 * Every figure of a backtest result, formatted in one place: returns as signed percentages (a sign
 * means gain or loss), drawdowns, rates and exposure as unsigned percentages, ratios with two
 * decimals, durations in days and hours (never raw ms), money and P&L with two decimals, prices
 * with one number of decimals per series (no ragged columns), and times without a clock on daily
 * and longer bars.
 */
import type { Timeframe } from "../../../common/market/bars.ts";
import { exactDecimals, formatNumber } from "./format.ts";
import { formatDateTime } from "./time.ts";
import { isDateOnly } from "../../../common/market/timeframes.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Percentages from this size on are written in exponent form so they fit a metric card. */
export const HUGE_PERCENT = 1_000_000;

/** The size of a percentage: "12.34", "1,234.50", and from a million on "9.18e10". */
function percentMagnitude(pct: number): string {
  const size = Math.abs(pct);
  if (size >= HUGE_PERCENT) return size.toExponential(2).replace("e+", "e");
  return size.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A return: "+12.34 %", "-5.00 %", "0.00 %", a huge one "+9.18e10 %". */
export function figureReturn(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return "—";
  const pct = fraction * 100;
  const text = percentMagnitude(pct);
  if (text === "0.00") return "0.00 %";
  return `${pct > 0 ? "+" : "-"}${text} %`;
}

/** A share with no sign (drawdown, win rate, exposure): its size, "51.44 %". */
export function figureShare(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return "—";
  return `${percentMagnitude(fraction * 100)} %`;
}

/** A ratio (Sharpe, Sortino, profit factor): two decimals. */
export function figureRatio(value: number | null): string {
  if (value === null) return "—";
  if (value === Infinity) return "∞";
  return Number.isFinite(value) ? value.toFixed(2) : "—";
}

/** A count: "1,234". */
export function figureCount(value: number | null): string {
  return formatNumber(value, 0);
}

/** Money (P&L, fees, equity): two decimals with thousands separators. */
export function figureMoney(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function unit(n: number, one: string): string {
  return `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;
}

/** A duration: "5,392 days", "3 days 4 hours", "5 hours 12 min", "42 s". */
export function figureDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return "—";
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 && days < 30 ? `${unit(days, "day")} ${unit(hours, "hour")}` : unit(days, "day");
  if (hours > 0) return minutes > 0 ? `${unit(hours, "hour")} ${minutes} min` : unit(hours, "hour");
  if (minutes > 0) return `${minutes} min`;
  return `${Math.round(ms / 1000)} s`;
}

/** A bar's time: the date alone on daily and longer bars, else date and time (seconds on 1s bars). */
export function figureTime(ms: number, timeframe: Timeframe, timeZone = "UTC"): string {
  if (isDateOnly(timeframe)) return formatDateTime(ms, timeZone, false).slice(0, 10);
  return formatDateTime(ms, timeZone, timeframe === "1s");
}

/** The decimals a run's prices are written with: the fewest that write them all (2 to 8). */
export function seriesDecimals(prices: Iterable<number>): number {
  return Math.min(8, Math.max(2, exactDecimals(prices, 8)));
}

/** A price with the series' decimals. */
export function figurePrice(price: number | null, decimals: number): string {
  if (price === null || !Number.isFinite(price)) return "—";
  return price.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

const RETURNS = new Set(["totalReturn", "buyAndHoldReturn", "cagr", "change"]);
const SHARES = new Set(["maxDrawdown", "winRate", "exposure"]);
const RATIOS = new Set(["sharpe", "sortino", "profitFactor"]);

/** Any metric by its name (as the assistant's cards list them): each kind as above, other numbers (prices) as they are. */
export function figureOfMetric(key: string, value: number | null): string {
  if (RETURNS.has(key)) return figureReturn(value);
  if (SHARES.has(key)) return figureShare(value);
  if (key === "maxDrawdownDuration") return figureDuration(value);
  if (key === "trades") return figureCount(value);
  if (RATIOS.has(key)) return figureRatio(value);
  return formatNumber(value, 8);
}
