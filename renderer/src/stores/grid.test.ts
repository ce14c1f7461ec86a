import { describe, expect, it, vi } from "vitest";

vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => undefined });
const { cellShows, readGrid, withLink } = await import("./grid.ts");

const btc = { venue: "simulated", symbol: "BTC/USD" };
const eth = { venue: "simulated", symbol: "ETH/USD" };
const main = { instrument: btc, timeframe: "5m" as const };

describe("cellShows (linking)", () => {
  const grid = readGrid({ count: 4, cells: [null, { instrument: eth, timeframe: "1h" }] });

  it("follows the main chart's symbol and timeframe when both are linked", () => {
    expect(cellShows(1, grid, main)).toEqual(main);
  });

  it("keeps its own symbol and timeframe when unlinked", () => {
    expect(cellShows(1, { ...grid, linkSymbol: false, linkTimeframe: false }, main)).toEqual({ instrument: eth, timeframe: "1h" });
  });

  it("links one and not the other", () => {
    expect(cellShows(1, { ...grid, linkSymbol: false }, main)).toEqual({ instrument: eth, timeframe: "5m" });
    expect(cellShows(1, { ...grid, linkTimeframe: false }, main)).toEqual({ instrument: btc, timeframe: "1h" });
  });

  it("shows the main chart's symbol in a cell never set, never nothing", () => {
    expect(cellShows(3, { ...grid, linkSymbol: false }, main).instrument).toEqual(btc);
  });
});

describe("readGrid", () => {
  it("takes defaults for anything it cannot read", () => {
    const g = readGrid({ count: 3, linkSymbol: "yes", cells: [null, { instrument: { venue: 1 }, timeframe: "7m" }] });
    expect(g.count).toBe(1);
    expect(g.linkSymbol).toBe(true);
    expect(g.cells[1]).toEqual({ instrument: null, timeframe: "1m" });
    expect(readGrid(null).cells).toHaveLength(4);
  });
});

describe("withLink", () => {
  it("keeps what each chart showed when a link is turned off", () => {
    const linked = readGrid({ count: 2, cells: [null, { instrument: eth, timeframe: "1h" }] });
    const unlinked = withLink(linked, "linkTimeframe", false, main);
    expect(cellShows(1, unlinked, main)).toEqual({ instrument: btc, timeframe: "5m" });
    expect(cellShows(1, unlinked, { ...main, timeframe: "1m" }).timeframe).toBe("5m");
    const bySymbol = withLink(linked, "linkSymbol", false, main);
    expect(cellShows(1, bySymbol, { instrument: eth, timeframe: "5m" }).instrument).toEqual(btc);
  });
});
