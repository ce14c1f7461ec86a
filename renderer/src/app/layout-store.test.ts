import { beforeEach, describe, expect, it, vi } from "vitest";

/** Layouts as core keeps them, and the instruments core knows. */
let saved: Array<{ name: string; layout: Record<string, unknown>; savedAt: number }> = [];
const known = [{ venue: "simulated", symbol: "BTC/USD" }, { venue: "simulated", symbol: "ETH/USD" }];

vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => undefined });
vi.mock("../stores/connection.ts", () => ({
  api: {
    call: async (method: string, p: { name?: string; layout?: Record<string, unknown> }) => {
      if (method === "ui.layouts.list") return saved;
      if (method === "ui.layouts.save") return (saved = [...saved.filter((l) => l.name !== p.name), { name: p.name!, layout: p.layout!, savedAt: 1 }]);
      if (method === "store.symbols") return [];
      if (method === "market.feeds") return { feeds: [{ feed: "simulated", symbols: known.map((k) => k.symbol) }], defaultFeed: "simulated" };
      if (method === "market.instruments.search") return [];
      throw new Error(`unexpected ${method}`);
    },
  },
}));

const { useLayouts } = await import("./layout-store.ts");
const { useChart } = await import("../stores/chart.ts");
const { useGrid } = await import("../stores/grid.ts");

const btc = { venue: "simulated", symbol: "BTC/USD" };
const eth = { venue: "simulated", symbol: "ETH/USD" };

beforeEach(() => {
  saved = [];
  useLayouts.setState({ saved: [], notes: [] });
  useChart.setState({ instrument: btc, timeframe: "1m", scale: "normal", indicators: [] });
  useGrid.getState().set({ count: 1, linkSymbol: true, linkTimeframe: true });
});

describe("layouts store", () => {
  it("saves the workspace and restores it after changes", async () => {
    useChart.setState({ instrument: eth, timeframe: "1h", scale: "log", indicators: [{ id: 1, kind: "rsi", period: 14 }] });
    useGrid.getState().set({ count: 4, linkTimeframe: false });
    await useLayouts.getState().save("four");
    useChart.setState({ instrument: btc, timeframe: "1m", scale: "normal", indicators: [] });
    useGrid.getState().set({ count: 1, linkTimeframe: true });
    await useLayouts.getState().restore("four");
    expect(useChart.getState()).toMatchObject({ instrument: eth, timeframe: "1h", scale: "log", indicators: [{ kind: "rsi", period: 14 }] });
    expect(useGrid.getState()).toMatchObject({ count: 4, linkTimeframe: false });
    expect(useLayouts.getState().notes).toEqual(['Restored "four".']);
  });

  it("restores a newer version's layout naming a vanished symbol as far as it can, keeping the chart's symbol", async () => {
    saved = [{ name: "old", savedAt: 1, layout: { version: 7, chart: { instrument: { venue: "local", symbol: "GONE" }, timeframe: "15m" }, grid: { count: 2 } } }];
    await useLayouts.getState().refresh();
    await useLayouts.getState().restore("old");
    expect(useChart.getState()).toMatchObject({ instrument: btc, timeframe: "15m" });
    expect(useGrid.getState().count).toBe(2);
    expect(useLayouts.getState().notes).toEqual([
      "Saved by a newer version (layout v7): restored what this version understands.",
      "GONE on local no longer exists: the chart keeps its symbol.",
    ]);
  });
});
