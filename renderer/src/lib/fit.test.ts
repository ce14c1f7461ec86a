import { describe, expect, it } from "vitest";
import { rowsThatFit } from "./fit.ts";

describe("rowsThatFit", () => {
  it("counts a partly shown last row", () => {
    expect(rowsThatFit(180, 18, 60)).toBe(10);
    expect(rowsThatFit(181, 18, 60)).toBe(11);
  });

  it("never exceeds the rows there are", () => {
    expect(rowsThatFit(5000, 18, 20)).toBe(20);
  });

  it("shows nothing in a box without height (hidden, collapsed)", () => {
    expect(rowsThatFit(0, 18, 20)).toBe(0);
    expect(rowsThatFit(Number.NaN, 18, 20)).toBe(0);
  });
});
