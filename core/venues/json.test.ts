import { describe, expect, it } from "vitest";
import { JsonSyntaxError, parseJsonExact } from "./json.ts";

describe("parseJsonExact", () => {
  it("keeps numbers as their exact wire text", () => {
    const v = parseJsonExact('{"price":45283.50,"qty":0.10000000,"id":12393906104898154338,"e":1e-8,"n":-0,"arr":[1,2.0]}');
    expect(v).toEqual({ price: "45283.50", qty: "0.10000000", id: "12393906104898154338", e: "1e-8", n: "-0", arr: ["1", "2.0"] });
  });

  it("reads strings, escapes, literals and whitespace like JSON.parse", () => {
    const text = ' { "a" : "x\\"y\\\\z\\u00e9\\n" , "b" : [ true , false , null ] , "c" : { } , "d" : [ ] } ';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
  });

  it("matches JSON.parse on documents without numbers", () => {
    const doc = { channel: "book", data: [{ symbol: "BTC/USD", nested: { deep: ["a", "b", { c: null }] } }], ok: true };
    expect(parseJsonExact(JSON.stringify(doc))).toEqual(doc);
  });

  it("does not let __proto__ change the prototype", () => {
    const v = parseJsonExact('{"__proto__":{"polluted":"yes"}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(v.__proto__).toEqual({ polluted: "yes" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(["", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"abc", "\"a\u0001\"", "\"\\x\"", "{\"a\":1}x", "[1 2]", "NaN", "'a'"])(
    "rejects %j",
    (text) => {
      expect(() => parseJsonExact(text)).toThrow(JsonSyntaxError);
    },
  );

  it("rejects nesting deeper than 64 levels without overflowing the stack", () => {
    expect(() => parseJsonExact("[".repeat(100_000))).toThrow(JsonSyntaxError);
    expect(parseJsonExact(`${"[".repeat(60)}${"]".repeat(60)}`)).toBeDefined();
  });
});
