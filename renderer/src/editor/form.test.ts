import { describe, expect, it } from "vitest";
import { checkRunForm, dayRange, numberField, utcDayStart, type RunFormInput } from "./form.ts";

const DAY = 86_400_000;
const base: RunFormInput = {
  hasSymbol: true, from: "", to: "", cash: "", commission: "", slippage: "",
  paramDefaults: { fast: 10, slow: 30, short: false, mode: "trend" }, paramText: {}, sweep: false, ranges: {},
  defaults: { cash: 100_000, commission: 0.001, slippageBps: 5 },
};
const fields = (input: Partial<RunFormInput>): string[] => {
  const r = checkRunForm({ ...base, ...input });
  return r.ok ? [] : r.errors.map((e) => e.field);
};

describe("run form dates (UTC days, inclusive)", () => {
  it("reads a calendar day as its UTC midnight and refuses impossible days", () => {
    expect(utcDayStart("2024-03-01")).toBe(Date.UTC(2024, 2, 1));
    expect(utcDayStart("2024-02-30")).toBeNull();
    expect(utcDayStart("2024-3-1")).toBeNull();
    expect(utcDayStart("")).toBeNull();
  });

  it("sends To as the next UTC midnight, so the chosen last day is included", () => {
    const r = dayRange("2024-03-01", "2024-03-31");
    expect(r).toEqual({ from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 3, 1), errors: [] });
    expect(dayRange("2024-03-05", "2024-03-05").to! - dayRange("2024-03-05", "2024-03-05").from!).toBe(DAY);
    expect(dayRange("", "2024-12-31").to).toBe(Date.UTC(2025, 0, 1));
    expect(dayRange("", "")).toEqual({ from: null, to: null, errors: [] });
  });

  it("refuses To before From and text that is not a date", () => {
    expect(dayRange("2024-03-02", "2024-03-01").errors).toEqual([{ field: "to", message: "To is before From" }]);
    expect(dayRange("yesterday", "").errors.map((e) => e.field)).toEqual(["from"]);
  });
});

describe("run form numbers", () => {
  it("uses the default for an empty field and refuses what is not a plain number", () => {
    expect(numberField("", 5, 0, 10, "X")).toBe(5);
    expect(numberField(" 2.5 ", 5, 0, 10, "X")).toBe(2.5);
    expect(numberField(".5", 5, 0, 10, "X")).toBe(0.5);
    for (const bad of ["100k", "0.1%", "2,5", "0x10", "Infinity", "1e999"]) expect(numberField(bad, 5, 0, 10, "X")).toBe("X is not a number");
  });

  it("keeps the bounds core accepts", () => {
    expect(numberField("11", 5, 0, 10, "X")).toBe("X must be at least 0 and at most 10");
    expect(numberField("0", 5, 0, 10, "Cash", true)).toBe("Cash must be above 0 and at most 10");
    expect(numberField("-1", 5, 0, 10, "X")).toMatch(/at least 0/);
  });
});

describe("checkRunForm", () => {
  it("returns the values of a valid form: defaults for empty fields, params typed like their defaults", () => {
    const r = checkRunForm({ ...base, from: "2024-01-01", to: "2024-01-31", commission: "0.002", paramText: { fast: "12", short: "true", mode: "x" } });
    expect(r).toEqual({
      ok: true,
      values: { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 1, 1), cash: 100_000, commission: 0.002, slippageBps: 5, params: { fast: 12, slow: 30, short: true, mode: "x" }, grid: null },
    });
  });

  it("names every bad field instead of running with a default", () => {
    expect(fields({ hasSymbol: false, cash: "100k", commission: "0.1%", slippage: "-3", paramText: { fast: "1o", slow: "" } })).toEqual([
      "symbol", "cash", "commission", "slippage", "param:fast", "param:slow",
    ]);
    expect(fields({ commission: "0.6" })).toEqual(["commission"]);
    const r = checkRunForm({ ...base, paramText: { fast: "2,5" } });
    expect(r.ok ? null : r.errors[0]!.message).toBe("Param fast is not a number");
  });

  it("builds the sweep grid from the ranges and names an invalid range", () => {
    const r = checkRunForm({ ...base, sweep: true, ranges: { fast: "5:15:5", slow: "" } });
    expect(r.ok && r.values.grid).toEqual({ fast: [5, 10, 15], slow: [30], short: [false], mode: ["trend"] });
    expect(fields({ sweep: true, ranges: { fast: "5:1:1" } })).toEqual(["range:fast", "range"]);
    expect(fields({ sweep: true, ranges: {} })).toEqual(["range"]);
    expect(fields({ sweep: false, ranges: { fast: "nonsense" } })).toEqual([]);
  });
});
