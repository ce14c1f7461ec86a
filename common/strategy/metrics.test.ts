import { describe, expect, it } from "vitest";
import { computeMetrics } from "./metrics.ts";
import type { TradeRecord } from "./results.ts";

const DAY = 86_400_000;
const trade = (pnl: number, open = false): TradeRecord => ({
  entryTime: 0,
  entryPrice: 1,
  exitTime: open ? null : DAY,
  exitPrice: open ? null : 1,
  size: 1,
  side: "long",
  pnl,
  fees: 0,
});

describe("computeMetrics", () => {
  const time = Float64Array.from([0, 1, 2, 3, 4], (d) => d * DAY);
  const equity = Float64Array.from([100, 110, 99, 121, 121]);
  const close = Float64Array.from([10, 11, 12, 13, 15]);
  const m = computeMetrics({ startCash: 100, time, close, equity, exposure: Uint8Array.from([0, 1, 1, 1, 0]), trades: [trade(10), trade(-5), trade(20), trade(3, true)] });

  it("returns, drawdown and its duration by hand", () => {
    expect(m.totalReturn).toBeCloseTo(0.21, 12);
    expect(m.buyAndHoldReturn).toBeCloseTo(0.5, 12);
    expect(m.maxDrawdown).toBeCloseTo(11 / 110, 12);
    // peak at day 1 (110), regained on day 3
    expect(m.maxDrawdownDuration).toBe(2 * DAY);
    expect(m.exposure).toBeCloseTo(0.6, 12);
  });

  it("trade statistics over closed trades; open ones counted in trades", () => {
    expect(m.trades).toBe(4);
    expect(m.winRate).toBeCloseTo(2 / 3, 12);
    expect(m.profitFactor).toBeCloseTo(30 / 5, 12);
  });

  it("annualises from the bars' spacing", () => {
    const r = [0, 0.1, -0.1, 121 / 99 - 1, 0];
    const mean = r.reduce((a, b) => a + b) / 5;
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / 4);
    const perYear = 4 / (4 / 365.25);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(perYear), 9);
    const down = Math.sqrt(0.01 / 5);
    expect(m.sortino).toBeCloseTo((mean / down) * Math.sqrt(perYear), 9);
    expect(m.cagr).toBeCloseTo(1.21 ** (365.25 / 4) - 1, 6);
  });

  it("reports NaN and infinite values as null", () => {
    const flat = computeMetrics({ startCash: 100, time: Float64Array.from([0]), close: Float64Array.from([1]), equity: Float64Array.from([100]), exposure: new Uint8Array(1), trades: [trade(5)] });
    expect(flat.sharpe).toBeNull();
    expect(flat.cagr).toBeNull();
    expect(flat.profitFactor).toBeNull();
    expect(flat.winRate).toBe(1);
  });
});

describe("computeMetrics on a long curve", () => {
  it("gives bit for bit the metrics of separate loops over returns, drawdowns and exposure", () => {
    const n = 20_000;
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const time = Float64Array.from({ length: n }, (_, i) => i * 60_000);
    const close = Float64Array.from({ length: n }, () => 100 + rand());
    const equity = new Float64Array(n);
    equity.reduce((e, _, i) => (equity[i] = e * (1 + (rand() - 0.5) / 50)), 1000);
    const exposure = Uint8Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0));
    const m = computeMetrics({ startCash: 1000, time, close, equity, exposure, trades: [] });
    const returns = Array.from(equity, (e, i) => e / (i === 0 ? 1000 : equity[i - 1]!) - 1);
    const mean = returns.reduce((a, r) => a + r, 0) / n;
    const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1));
    const downside = Math.sqrt(returns.reduce((a, r) => (r < 0 ? a + r ** 2 : a), 0) / n);
    const perYear = (n - 1) / ((time[n - 1]! - time[0]!) / (365.25 * DAY));
    let peak = 1000;
    const drops = Array.from(equity, (e) => ((peak = Math.max(peak, e)) - e) / peak);
    const maxDd = Math.max(...drops);
    expect(m.sharpe).toBe((mean / sd) * Math.sqrt(perYear));
    expect(m.sortino).toBe((mean / downside) * Math.sqrt(perYear));
    expect(m.maxDrawdown).toBe(maxDd);
    expect(m.exposure).toBe(exposure.reduce((a, x) => a + x, 0) / n);
  });
});
