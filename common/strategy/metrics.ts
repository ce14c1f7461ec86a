/**
 * Performance metrics of a backtest, from the equity curve at each bar's close and the trades.
 *
 * Returns are per bar: r0 = equity0 / startCash - 1, ri = equity_i / equity_(i-1) - 1.
 * Annualisation uses the bars' own spacing: periodsPerYear = (n - 1) / years spanned, where years
 * = (lastTime - firstTime) / 365.25 days; so daily stock bars (about 252 a year) and 24/7 crypto
 * minutes (525 960 a year) both annualise correctly without being told the calendar.
 * - sharpe = mean(r) / stdev(r) * sqrt(periodsPerYear) (risk-free rate 0, sample stdev);
 * - sortino = mean(r) / sqrt(sum(min(r, 0)^2) / n) * sqrt(periodsPerYear);
 * - cagr = (finalEquity / startCash)^(1 / years) - 1;
 * - maxDrawdown = largest (peak - equity) / peak, peaks including the starting cash;
 * - maxDrawdownDuration = longest time from a peak's bar to the bar that regains it (or the last bar);
 * - winRate and profitFactor over closed trades; exposure = share of bars with a position;
 * - trades = number of trades listed (open ones included); buyAndHoldReturn = lastClose / firstClose - 1.
 * NaN and infinite values are reported as null.
 */
import type { Metrics, TradeRecord } from "./results.ts";

const YEAR_MS = 365.25 * 86_400_000;

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** What the metrics are computed from. */
export interface MetricsInput {
  startCash: number;
  time: Float64Array;
  close: Float64Array;
  equity: Float64Array;
  exposure: Uint8Array;
  trades: readonly TradeRecord[];
}

/** What one pass over the curve gathers. */
interface CurvePass {
  /** Sum of the per-bar returns. */
  sum: number;
  maxDd: number;
  maxDur: number;
  /** Bars with a position. */
  exposed: number;
}

// The per-bar returns are computed twice (the same doubles) rather than kept in an array of the
// curve's length: a sweep computes these for every combination, and the array was its largest
// allocation. The first pass also takes the drawdowns and the exposure (one loop instead of
// three: a run's metrics are computed once, mostly before V8 has optimised these loops).
function curvePass(startCash: number, time: Float64Array, equity: Float64Array, exposure: Uint8Array): CurvePass {
  const n = equity.length;
  let prev = startCash;
  let sum = 0;
  let peak = startCash;
  let peakTime = n > 0 ? time[0]! : 0;
  let maxDd = 0;
  let maxDur = 0;
  let exposed = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    sum += e / prev - 1;
    prev = e;
    if (e >= peak) {
      maxDur = Math.max(maxDur, time[i]! - peakTime);
      peak = e;
      peakTime = time[i]!;
    } else {
      maxDd = Math.max(maxDd, (peak - e) / peak);
    }
    exposed += exposure[i]!;
  }
  if (n > 0) maxDur = Math.max(maxDur, time[n - 1]! - peakTime);
  return { sum, maxDd, maxDur, exposed };
}

/** The sample standard deviation of the per-bar returns around `mean`, and their downside deviation. */
function deviations(startCash: number, equity: Float64Array, mean: number): { sd: number; downside: number } {
  const n = equity.length;
  let ss = 0;
  let down = 0;
  let prev = startCash;
  for (let i = 0; i < n; i++) {
    const r = equity[i]! / prev - 1;
    prev = equity[i]!;
    ss += (r - mean) ** 2;
    if (r < 0) down += r ** 2;
  }
  return { sd: Math.sqrt(ss / (n - 1)), downside: Math.sqrt(down / n) };
}

function tradeStats(trades: readonly TradeRecord[]): { winRate: number; profitFactor: number } {
  let wins = 0;
  let closed = 0;
  let gain = 0;
  let loss = 0;
  for (const t of trades) {
    if (t.exitTime === null) continue;
    closed++;
    if (t.pnl > 0) {
      wins++;
      gain += t.pnl;
    } else loss -= t.pnl;
  }
  return { winRate: wins / closed, profitFactor: gain / loss };
}

/** Computes every metric. */
export function computeMetrics(input: MetricsInput): Metrics {
  const { startCash, time, close, equity, exposure, trades } = input;
  const n = equity.length;
  const finalEquity = n > 0 ? equity[n - 1]! : startCash;
  const years = n > 1 ? (time[n - 1]! - time[0]!) / YEAR_MS : Number.NaN;
  const perYear = (n - 1) / years;
  const { sum, maxDd, maxDur, exposed } = curvePass(startCash, time, equity, exposure);
  const mean = sum / n;
  const { sd, downside } = deviations(startCash, equity, mean);
  const { winRate, profitFactor } = tradeStats(trades);
  const totalReturn = finalEquity / startCash - 1;
  return {
    totalReturn: finite(totalReturn),
    cagr: finite(finalEquity > 0 ? (finalEquity / startCash) ** (1 / years) - 1 : -1),
    sharpe: finite(sd > 0 ? (mean / sd) * Math.sqrt(perYear) : Number.NaN),
    sortino: finite(downside > 0 ? (mean / downside) * Math.sqrt(perYear) : Number.NaN),
    maxDrawdown: finite(n > 0 ? maxDd : Number.NaN),
    maxDrawdownDuration: finite(n > 0 ? maxDur : Number.NaN),
    winRate: finite(winRate),
    profitFactor: finite(profitFactor),
    exposure: finite(exposed / n),
    trades: trades.length,
    buyAndHoldReturn: finite(n > 0 ? close[n - 1]! / close[0]! - 1 : Number.NaN),
  };
}
