import { describe, expect, it } from "vitest";
import { diagnosticsFrom } from "./diagnostics.ts";
import { extractParams, parseParam, parseRange } from "./params.ts";
import { TEMPLATES } from "../../../common/strategy/templates.ts";

describe("strategy params from source", () => {
  it("reads number, boolean and string defaults of the params object", () => {
    const src = `export default defineStrategy({
      // params: { wrong: 1 }
      params: { fast: 10, slow: 1_000, "risk": -0.5, short: false, mode: 'trend', nested: { a: 1 }, calc: 2 * 3 },
      onBar() {},
    });`;
    expect(extractParams(src)).toEqual({ fast: 10, slow: 1000, risk: -0.5, short: false, mode: "trend" });
  });

  it("returns null without params and reads every template", () => {
    expect(extractParams("export default 1")).toBeNull();
    expect(TEMPLATES.map((t) => Object.keys(extractParams(t.source) ?? {}))).toEqual([["fast", "slow", "fraction"], ["period", "oversold", "exit", "fraction"], ["lookback", "fraction"]]);
  });

  it("parses form values back to the default's type", () => {
    expect(parseParam("12", 10)).toBe(12);
    expect(parseParam("x", 10)).toBeNull();
    expect(parseParam("", 10)).toBeNull();
    expect(parseParam("true", false)).toBe(true);
    expect(parseParam("abc", "s")).toBe("abc");
  });

  it("expands sweep ranges and lists, refusing bad or huge ones", () => {
    expect(parseRange("5:20:5")).toEqual([5, 10, 15, 20]);
    expect(parseRange("0.1:0.3:0.1")).toEqual([0.1, 0.2, 0.3]);
    expect(parseRange("5, 10,20")).toEqual([5, 10, 20]);
    expect(parseRange("20:5:5")).toBeNull();
    expect(parseRange("1:100000:1", 1000)).toBeNull();
    expect(parseRange("a,b")).toBeNull();
    expect(parseRange("")).toBeNull();
  });
});

describe("run errors at the strategy's line", () => {
  it("uses structured compile diagnostics when core sends them", () => {
    const details = { kind: "compile", diagnostics: [{ file: "s.ts", line: 4, column: 7, message: "Type 'string' is not assignable to type 'number'." }] };
    expect(diagnosticsFrom("compile failed", details)).toEqual([{ line: 4, column: 7, message: "Type 'string' is not assignable to type 'number'." }]);
  });

  it("finds file:line:column in a run-time error message", () => {
    expect(diagnosticsFrom("sma.ts:12:5: TypeError: x is undefined (in onBar, bar #3)")).toEqual([{ line: 12, column: 5, message: "TypeError: x is undefined (in onBar, bar #3)" }]);
    expect(diagnosticsFrom("no bars in that data and range")).toEqual([]);
  });
});
