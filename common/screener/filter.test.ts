import { describe, expect, it } from "vitest";
import { filterColumns, matchesFilter, parseFilter } from "./filter.ts";
import { enteredTop, parseMemberList, parseSort, rankChanges, rankRows, type ScreenRow } from "./rank.ts";

describe("filter expressions", () => {
  it("and binds tighter than or; parentheses group", () => {
    const f = parseFilter("rsi_14 < 30 and change_pct_24 > 5 or last >= 100");
    expect(matchesFilter(f, { rsi_14: 20, change_pct_24: 6, last: 1 })).toBe(true);
    expect(matchesFilter(f, { rsi_14: 40, change_pct_24: 6, last: 100 })).toBe(true);
    expect(matchesFilter(f, { rsi_14: 40, change_pct_24: 6, last: 99 })).toBe(false);
    const g = parseFilter("rsi_14 < 30 and (change_pct_24 > 5 or last >= 100)");
    expect(matchesFilter(g, { rsi_14: 40, change_pct_24: 6, last: 100 })).toBe(false);
    expect(filterColumns(g)).toEqual(["rsi_14", "change_pct_24", "last"]);
  });

  it("accepts every operator, negatives and exponents; null fails", () => {
    expect(matchesFilter(parseFilter("x == -1.5e1"), { x: -15 })).toBe(true);
    expect(matchesFilter(parseFilter("x != 2"), { x: 3 })).toBe(true);
    expect(matchesFilter(parseFilter("x <= 2"), { x: 2 })).toBe(true);
    expect(matchesFilter(parseFilter("x > 0"), { x: null })).toBe(false);
  });

  it("names the problem", () => {
    expect(() => parseFilter("")).toThrow(/empty/);
    expect(() => parseFilter("rsi_14 < ")).toThrow(/expected a number at the end/);
    expect(() => parseFilter("rsi_14 < 30 rsi_14 > 1")).toThrow(/unexpected "rsi_14" at 13/);
    expect(() => parseFilter("rsi_14 ~ 3")).toThrow(/unexpected "~" at 8/);
    expect(() => parseFilter("(a < 1")).toThrow(/expected "\)"/);
  });
});

describe("ranking", () => {
  const rows: ScreenRow[] = [
    { venue: "v", symbol: "A", x: 1 },
    { venue: "v", symbol: "B", x: null },
    { venue: "v", symbol: "C", error: "boom" },
    { venue: "v", symbol: "D", x: 3 },
  ];

  it("sorts by a key, missing values and errors last; a filter keeps error rows", () => {
    expect(rankRows(rows, parseSort("x"), null).map((r) => r.symbol)).toEqual(["D", "A", "B", "C"]);
    expect(rankRows(rows, parseSort("x:asc"), null).map((r) => r.symbol)).toEqual(["A", "D", "B", "C"]);
    expect(rankRows(rows, parseSort("x"), parseFilter("x > 2")).map((r) => r.symbol)).toEqual(["D", "C"]);
    expect(() => parseSort("x:up")).toThrow(/KEY\[:asc\|desc\]/);
  });

  it("reports rank changes and entries into the top n", () => {
    const before = [{ venue: "v", symbol: "A" }, { venue: "v", symbol: "B" }, { venue: "v", symbol: "C" }];
    const after = [{ venue: "v", symbol: "C" }, { venue: "v", symbol: "A" }];
    expect(rankChanges(before, after)).toEqual([
      { venue: "v", symbol: "C", rank: 1, previous: 3 },
      { venue: "v", symbol: "A", rank: 2, previous: 1 },
      { venue: "v", symbol: "B", rank: null, previous: 2 },
    ]);
    expect(enteredTop(before, after, 2)).toEqual([{ venue: "v", symbol: "C" }]);
  });

  it("parses a universe LIST", () => {
    expect(parseMemberList("binance:BTC/USDT, local:ORCL,binance:BTC/USDT")).toEqual([
      { venue: "binance", symbol: "BTC/USDT" },
      { venue: "local", symbol: "ORCL" },
    ]);
    expect(() => parseMemberList("ORCL")).toThrow(/"ORCL" is not VENUE:SYMBOL/);
  });
});
