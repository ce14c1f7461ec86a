import { beforeEach, describe, expect, it, vi } from "vitest";

/** What core keeps, by "venue:symbol" (the `ui.drawings.*` handlers' behaviour). */
const saved = new Map<string, unknown>();
let failSaves = false;

vi.mock("./connection.ts", () => ({
  api: {
    call: async (method: string, p: { venue: string; symbol: string; drawings?: unknown }) => {
      const key = `${p.venue}:${p.symbol}`;
      if (method === "ui.drawings.get") return saved.get(key) ?? [];
      if (method !== "ui.drawings.set") throw new Error(`unexpected ${method}`);
      if (failSaves) throw new Error("core is not reachable");
      saved.set(key, p.drawings);
      return p.drawings;
    },
  },
}));

const { useDrawings, drawingKey } = await import("./drawings.ts");

const btc = { venue: "simulated", symbol: "BTC/USD" };
const eth = { venue: "simulated", symbol: "ETH/USD" };
const hline = { id: "h1", kind: "hline" as const, a: { time: 1000, price: 50 }, b: { time: 1000, price: 50 } };
const rect = { id: "r1", kind: "rect" as const, a: { time: 1000, price: 50 }, b: { time: 5000, price: 60 } };

beforeEach(() => {
  saved.clear();
  failSaves = false;
  useDrawings.setState({ byKey: {}, note: null, tool: null });
});

describe("drawings store", () => {
  it("saves per symbol and restores after a reload (a fresh store)", async () => {
    await useDrawings.getState().add(btc, hline);
    await useDrawings.getState().add(btc, rect);
    useDrawings.setState({ byKey: {} });
    await useDrawings.getState().load(btc);
    await useDrawings.getState().load(eth);
    expect(useDrawings.getState().byKey[drawingKey(btc)]).toEqual([hline, rect]);
    expect(useDrawings.getState().byKey[drawingKey(eth)]).toEqual([]);
  });

  it("restores the readable drawings and notes the ones it left out", async () => {
    saved.set(drawingKey(btc), [hline, { id: "x", kind: "spiral" }]);
    await useDrawings.getState().load(btc);
    expect(useDrawings.getState().byKey[drawingKey(btc)]).toEqual([hline]);
    expect(useDrawings.getState().note).toMatch(/1 saved drawing could not be read/);
  });

  it("keeps a drawing on screen when the save fails, and says so", async () => {
    failSaves = true;
    await useDrawings.getState().add(btc, hline);
    expect(useDrawings.getState().byKey[drawingKey(btc)]).toEqual([hline]);
    expect(useDrawings.getState().note).toBe("Drawings not saved: core is not reachable");
  });

  it("undoes the last drawing and clears them all", async () => {
    await useDrawings.getState().add(btc, hline);
    await useDrawings.getState().add(btc, rect);
    await useDrawings.getState().undo(btc);
    expect(saved.get(drawingKey(btc))).toEqual([hline]);
    await useDrawings.getState().clear(btc);
    expect(saved.get(drawingKey(btc))).toEqual([]);
  });
});
