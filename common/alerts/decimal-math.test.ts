import { describe, expect, it } from "vitest";
import { closes, rule, run } from "./test-util.ts";
import { compareNumbered, decimalCrossUp, inChannel, numbered } from "./decimal-math.ts";

const cmp = (a: string, b: string): number => Math.sign(compareNumbered(a, Number(a), b, Number(b)));

describe("decimal comparisons through the nearest doubles", () => {
  it("order decimals exactly, also those that round to the same double", () => {
    expect(cmp("100.1", "100.2")).toBe(-1);
    expect(cmp("100.2", "100.1")).toBe(1);
    expect(cmp("100.1", "100.1")).toBe(0);
    expect(Number("0.10000000000000000001")).toBe(Number("0.1"));
    expect(cmp("0.10000000000000000001", "0.1")).toBe(1);
    expect(cmp("0.1", "0.10000000000000000001")).toBe(-1);
    expect(cmp("-0.10000000000000000001", "-0.1")).toBe(-1);
  });

  it("crosses and channels tell levels apart that one double cannot", () => {
    const level = numbered("43300.00000000000001");
    expect(decimalCrossUp("43300", 43300, "43300.00000000000002", Number("43300.00000000000002"), level)).toBe(true);
    expect(decimalCrossUp("43300", 43300, "43300.00000000000001", Number("43300.00000000000001"), level)).toBe(false);
    const low = numbered("1.00000000000000000001");
    const high = numbered("2");
    expect(inChannel("1", 1, low, high)).toBe(false);
    expect(inChannel("1.00000000000000000001", 1, low, high)).toBe(true);
    expect(inChannel("2", 2, low, high)).toBe(true);
  });

  it("a rule on such a level fires exactly where the decimals say", () => {
    const r = rule({ condition: { type: "price", op: "crosses_up", value: "100.000000000000000001" } });
    const fires = run([r], closes(["100", "100.000000000000000001", "100.000000000000000002"])).fires;
    expect(fires.map((f) => f.value)).toEqual(["100.000000000000000002"]);
  });
});
