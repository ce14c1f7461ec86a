import { describe, expect, it } from "vitest";
import { stubBackend } from "../testing/stub-backend.ts";
import { newTurnToolState, parseIsoDate, type ToolContext } from "./context.ts";
import { executeTool } from "./index.ts";
import { fitRows, quoteResult } from "./quote.ts";

function ctx(): ToolContext & { backend: ReturnType<typeof stubBackend> } {
  return { backend: stubBackend(), signal: new AbortController().signal, state: newTurnToolState() };
}

const bad = (n: number): string => `export default 1;\nconst x = 1; // @error broken ${n}`;

describe("write_strategy", () => {
  it("reports errors as line:column, allows 3 repair rounds, then refuses", async () => {
    const c = ctx();
    const runs = [];
    for (let i = 1; i <= 5; i++) runs.push(await executeTool("write_strategy", { name: "s", code: bad(i) }, c));
    expect(runs.map((r) => r.ok)).toEqual([false, false, false, false, false]);
    expect(runs[0]!.error).toBe("type-check failed: 2:17 broken 1");
    expect(runs[0]!.text).toMatch(/3 repair rounds left/);
    expect(runs[2]!.text).toMatch(/1 repair round left/);
    expect(runs[3]!.text).toMatch(/no repair rounds are left/);
    expect(runs[4]!.error).toMatch(/^refused: .*all 3 repair rounds are used/);
    expect(c.backend.saved.size).toBe(0);
  });

  it("saves once the code type-checks and resets the repair count", async () => {
    const c = ctx();
    await executeTool("write_strategy", { name: "s", code: bad(1) }, c);
    const ok = await executeTool("write_strategy", { name: "s", code: "export default 1;" }, c);
    expect(ok).toMatchObject({ ok: true, view: { kind: "strategy", name: "s", version: 1, diagnostics: [] } });
    expect(c.state).toMatchObject({ failedWrites: 0, strategies: ["s"] });
  });

  it("refuses names that are not plain", async () => {
    expect((await executeTool("write_strategy", { name: "../etc/passwd", code: "x" }, ctx())).ok).toBe(false);
  });
});

describe("run_backtest and run_sweep", () => {
  it("passes ISO dates as UTC ms and records the backtest", async () => {
    const c = ctx();
    await executeTool("write_strategy", { name: "s", code: "export default 1;" }, c);
    const run = await executeTool("run_backtest", { strategy: "s", symbol: "btc-usd", timeframe: "1h", from: "2024-01-01", to: "2025-01-01", cash: 5000 }, c);
    expect(run.ok).toBe(true);
    expect(c.backend.backtests[0]).toMatchObject({ symbol: "BTC-USD", from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 1), cash: 5000 });
    expect(c.state.backtests).toEqual([{ strategy: "s", metrics: expect.objectContaining({ totalReturn: 0.125 }) }]);
    expect(run.text).toMatch(/"wins":1/);
  });

  it("refuses a backwards range and an unknown strategy with readable errors", async () => {
    const c = ctx();
    expect((await executeTool("run_backtest", { strategy: "s", symbol: "X", timeframe: "1d", from: "2025-01-01", to: "2024-01-01" }, c)).error).toBe("from must be before to");
    expect((await executeTool("run_backtest", { strategy: "nope", symbol: "X", timeframe: "1d" }, c)).error).toMatch(/no saved strategy named "nope"/);
  });

  it("caps the size of a sweep and ranks its rows", async () => {
    const c = ctx();
    const big = await executeTool("run_sweep", { strategy: "s", symbol: "X", timeframe: "1h", grid: { a: Array.from({ length: 20 }, (_, i) => i), b: Array.from({ length: 11 }, (_, i) => i) } }, c);
    expect(big.error).toMatch(/220 combinations; at most 200/);
    const ok = await executeTool("run_sweep", { strategy: "s", symbol: "X", timeframe: "1h", grid: { fast: [5, 10, 20] } }, c);
    expect(ok.view).toMatchObject({ kind: "sweep", rows: [{ params: { fast: 20 } }, { params: { fast: 10 } }, { params: { fast: 5 } }] });
  });
});

describe("data tools", () => {
  it("summarises candles instead of returning every bar", async () => {
    const run = await executeTool("get_candles", { symbol: "BTC-USD", timeframe: "1h", from: "2024-01-01" }, ctx());
    expect(run.view).toMatchObject({ kind: "candles", bars: 50, stats: { bars: 50, firstOpen: 99.5, lastClose: 149, high: 150, low: 99 } });
    expect(run.text).toMatch(/"lastBars"/);
  });

  it("rejects unknown tools and bad dates", async () => {
    expect((await executeTool("rm_rf", {}, ctx())).error).toMatch(/unknown tool "rm_rf"/);
    expect(() => parseIsoDate("last year", "from")).toThrow(/ISO date/);
    expect(parseIsoDate("2024-03-01T12:00:00", "to")).toBe(Date.UTC(2024, 2, 1, 12));
    expect(parseIsoDate("2024-03-01T12:00:00+02:00", "to")).toBe(Date.UTC(2024, 2, 1, 10));
  });
});

describe("quoting", () => {
  it("cuts big results and shrinks tables to what fits", () => {
    expect(quoteResult("t", true, { s: "x".repeat(20_000) }, 1000)).toMatch(/\[cut: the result was \d+ characters, the limit is 1000\]/);
    const rows = Array.from({ length: 1000 }, (_, i) => [i, "row"]);
    const fitted = fitRows(rows, (r) => ({ rows: r }), 500);
    expect(fitted.cut).toBe(true);
    expect(JSON.stringify({ rows: fitted.rows }).length).toBeLessThanOrEqual(500);
    expect(JSON.stringify({ rows: rows.slice(0, fitted.rows.length + 1) }).length).toBeGreaterThan(500);
  });
});
