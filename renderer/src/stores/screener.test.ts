import { describe, expect, it } from "vitest";
import { formatCell, rankMoves, screenAlertRule, screenRequest, universeRunCommands, updateResult, watchRequest, SAMPLE_SQL, type ScreenForm } from "./screener.ts";

const form: ScreenForm = {
  universe: " majors ", timeframe: "1h", mode: "columns", columns: "last,rsi_14", sql: SAMPLE_SQL,
  strategyId: null, metric: "sharpe", holdout: "", from: "", to: "", filter: " rsi_14 < 30 ", sort: "", live: false, alertTop: "",
};

describe("screener store helpers", () => {
  it("builds the request of the chosen kind, leaving out empty filter and sort", () => {
    expect(screenRequest(form)).toEqual({ universe: "majors", timeframe: "1h", columns: "last,rsi_14", filter: "rsi_14 < 30" });
    expect(screenRequest({ ...form, mode: "sql", filter: "", sort: "last:asc" })).toEqual({ universe: "majors", timeframe: "1h", sql: SAMPLE_SQL, sort: "last:asc" });
  });

  it("builds a strategy screen's request from the saved strategy's source, metric, holdout and range", () => {
    const strategy = { source: "export default 1", filename: "cross.ts" };
    expect(screenRequest({ ...form, mode: "strategy", holdout: "0.3", from: "2024-01-01", to: "2024-02-01", filter: "" }, strategy)).toEqual({
      universe: "majors", timeframe: "1h", strategy, metric: "sharpe", holdout: 0.3, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 1, 2),
    });
    expect(() => screenRequest({ ...form, mode: "strategy" })).toThrow(/choose a saved strategy/);
    expect(() => screenRequest({ ...form, mode: "strategy", holdout: "2" }, strategy)).toThrow(/holdout/);
    expect(() => screenRequest({ ...form, from: "1/2/2024" })).toThrow(/From is not a date/);
  });

  it("builds a live column screen's request with its top-N alert", () => {
    expect(watchRequest({ ...form, live: true, alertTop: " 10 " })).toEqual({ universe: "majors", timeframe: "1h", columns: "last,rsi_14", filter: "rsi_14 < 30", alertTop: 10 });
    expect(watchRequest({ ...form, live: true, alertTop: "" })).not.toHaveProperty("alertTop");
    expect(() => watchRequest({ ...form, alertTop: "ten" })).toThrow(/top N/);
  });

  it("makes a screen alert rule of a column-screen form (top 10 unless given)", () => {
    expect(screenAlertRule({ ...form, alertTop: "3", sort: "rsi_14:asc" })).toEqual({
      id: "screen-majors-1h-top3", timeframe: "1h", deliver: { desktop: true },
      condition: { type: "screen", universe: "majors", columns: "last,rsi_14", top: 3, filter: "rsi_14 < 30", sort: "rsi_14:asc" },
    });
    expect(screenAlertRule({ ...form, filter: "" })).toMatchObject({ id: "screen-majors-1h-top10", condition: { top: 10 } });
    expect(() => screenAlertRule({ ...form, universe: " " })).toThrow(/choose a universe/);
  });

  it("gives the sweep and walk-forward command lines of the form's universe, quoted when needed", () => {
    expect(universeRunCommands(form)).toEqual([
      "workstation sweep STRATEGY.ts --grid JSON --universe majors --timeframe 1h",
      "workstation walkforward STRATEGY.ts --grid JSON --folds N --universe majors --timeframe 1h",
    ]);
    expect(universeRunCommands({ universe: "my list's", timeframe: "1d" })[0]).toBe("workstation sweep STRATEGY.ts --grid JSON --universe 'my list'\\''s' --timeframe 1d");
  });

  it("turns a live refresh into a result whose columns are the rows' value keys", () => {
    const rows = [{ venue: "v", symbol: "A", last: 1, rsi_14: null }, { venue: "v", symbol: "B", error: "no bars" }];
    expect(updateResult({ at: 0, rows, changes: [], barsFed: 1 }, 5)).toEqual({ rows, columns: ["last", "rsi_14"], failed: 1, elapsedMs: 5 });
  });

  it("tells how far each row moved since the previous result; new rows are null, unmoved absent", () => {
    const row = (symbol: string) => ({ venue: "v", symbol });
    expect(rankMoves([row("A"), row("B"), row("C")], [row("C"), row("A"), row("D")])).toEqual({ "v:C": 2, "v:A": -1, "v:D": null });
    expect(rankMoves([row("A")], [row("A")])).toEqual({});
  });

  it("formats cells", () => {
    expect([formatCell(null), formatCell(12), formatCell(1.23456789), formatCell("x")]).toEqual(["—", "12", "1.235", "x"]);
  });
});
