import { describe, expect, it, vi } from "vitest";

vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => undefined });
const { captureLayout, restoreLayout, LAYOUT_VERSION } = await import("./layouts.ts");
const { readGrid } = await import("../stores/grid.ts");

const btc = { venue: "simulated", symbol: "BTC/USD" };
const eth = { venue: "simulated", symbol: "ETH/USD" };
const gone = { venue: "local", symbol: "DELISTED" };
const known = (i: { venue: string; symbol: string }): boolean => i.symbol !== gone.symbol;

describe("layouts", () => {
  it("restores a saved layout exactly, with no notes", () => {
    const chart = { instrument: btc, timeframe: "1h" as const, scale: "log" as const, indicators: [{ id: 1, kind: "rsi" as const, period: 14 }] };
    const grid = readGrid({ count: 2, linkSymbol: false, cells: [null, { instrument: eth, timeframe: "5m" }] });
    const restored = restoreLayout(JSON.parse(JSON.stringify(captureLayout(chart, grid))), known);
    expect(restored).toEqual({ chart, grid, notes: [] });
  });

  it("reads a layout from a newer version as far as it can, with a note", () => {
    const restored = restoreLayout({ version: LAYOUT_VERSION + 1, chart: { instrument: eth, timeframe: "2w", scale: "spiral", panels: ["new"] }, grid: { count: 4, tabs: 3 } }, known);
    expect(restored.chart).toMatchObject({ instrument: eth, timeframe: "1m", scale: "normal" });
    expect(restored.grid.count).toBe(4);
    expect(restored.notes).toEqual([expect.stringMatching(/newer version \(layout v2\)/), 'Unknown timeframe "2w": 1m was used.']);
  });

  it("keeps the current symbol for a symbol that no longer exists, never a blank chart", () => {
    const restored = restoreLayout({ version: 1, chart: { instrument: gone, timeframe: "1d" }, grid: { count: 2, linkSymbol: false, cells: [null, { instrument: gone, timeframe: "1d" }] } }, known);
    expect(restored.chart.instrument).toBeNull();
    expect(restored.chart.timeframe).toBe("1d");
    expect(restored.grid.cells[1]!.instrument).toBeNull();
    expect(restored.notes).toHaveLength(2);
    expect(restored.notes[0]).toBe("DELISTED on local no longer exists: the chart keeps its symbol.");
  });

  it("reads garbage as the defaults with a note", () => {
    const restored = restoreLayout("not a layout", known);
    expect(restored.chart).toEqual({ instrument: null, timeframe: "1m", scale: "normal", indicators: [] });
    expect(restored.notes[0]).toMatch(/could not be read/);
  });
});
