import { describe, expect, it } from "vitest";
import type { Metrics, OrderRecord, TradeRecord } from "../../common/strategy/results.ts";
import { savedResultText } from "../strategy/runs.ts";
import { backtestJson, backtestJsonLine } from "./backtest.ts";

// Values whose JSON text is easy to get wrong: NaN and infinities (null), -0 ("0"), exponents, long fractions.
const METRICS = { trades: 2, totalReturn: -0, sharpe: Number.NaN, sortino: Number.POSITIVE_INFINITY, cagr: 1e21, maxDrawdown: 0.1 + 0.2 } as unknown as Metrics;
const TRADES: TradeRecord[] = [
  { entryTime: 1_577_838_600_000, entryPrice: 100.2584, exitTime: null, exitPrice: null, size: 947.55152685, side: "long", pnl: -270.810226373725, fees: 1e-7 },
  { entryTime: 0, entryPrice: 5e-324, exitTime: 1, exitPrice: 1.7976931348623157e308, size: 1, side: "short", pnl: -0, fees: 0 },
] as unknown as TradeRecord[];
const ORDERS = [{ id: 1, side: "buy", type: "market", size: 1, price: null, status: "filled", tag: "a \"quoted\" \u2028 tag\u0007" }] as unknown as OrderRecord[];

describe("backtest JSON texts spliced from the sandbox's", () => {
  it("the --json line is byte for byte JSON.stringify of the parsed result", () => {
    const r = { bars: 1_000_000, trades: TRADES, finalEquity: 183427.0712345, cash: -0, metrics: METRICS };
    const text = JSON.stringify(TRADES);
    const parsed = { ...r, trades: JSON.parse(text) as TradeRecord[] };
    expect(backtestJsonLine(r, text)).toBe(JSON.stringify(backtestJson(parsed)));
    expect(backtestJsonLine({ ...r, bars: 0 }, "[]")).toBe(JSON.stringify(backtestJson({ ...r, bars: 0, trades: [] })));
  });

  it("the saved result is byte for byte JSON.stringify of the saved record's result", () => {
    const equityCurve = { time: [0, 60_000], equity: [100_000, 100_000.5] };
    const r = { tradesJson: JSON.stringify(TRADES), ordersJson: JSON.stringify(ORDERS), finalEquity: 1.5, cash: 2, metrics: METRICS, saved: null };
    const text = savedResultText(r, equityCurve);
    expect("json" in text && text.json).toBe(JSON.stringify({ finalEquity: 1.5, cash: 2, metrics: METRICS, trades: TRADES, orders: ORDERS, equityCurve }));
    expect(text).toMatchObject({ finalEquity: 1.5, metrics: METRICS });
  });
});
