import { describe, expect, it } from "vitest";
import { formatCell, rankMoves, screenRequest, SAMPLE_SQL, type ScreenForm } from "./screener.ts";

const form: ScreenForm = { universe: " majors ", timeframe: "1h", mode: "columns", columns: "last,rsi_14", sql: SAMPLE_SQL, filter: " rsi_14 < 30 ", sort: "" };

describe("screener store helpers", () => {
  it("builds the request of the chosen kind, leaving out empty filter and sort", () => {
    expect(screenRequest(form)).toEqual({ universe: "majors", timeframe: "1h", columns: "last,rsi_14", filter: "rsi_14 < 30" });
    expect(screenRequest({ ...form, mode: "sql", filter: "", sort: "last:asc" })).toEqual({ universe: "majors", timeframe: "1h", sql: SAMPLE_SQL, sort: "last:asc" });
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
