import { describe, expect, it } from "vitest";
import { fibLevels, logicalAt, makeDrawing, readDrawings, timeAt } from "./drawings.ts";

describe("logicalAt", () => {
  const times = [100, 160, 220, 280];

  it("is exact on a bar and linear between bars", () => {
    expect(logicalAt(times, 160)).toBe(1);
    expect(logicalAt(times, 190)).toBe(1.5);
  });

  it("extrapolates at the bar spacing past either end of the window", () => {
    expect(logicalAt(times, 40)).toBe(-1);
    expect(logicalAt(times, 400)).toBe(5);
  });

  it("has no position without bars and index 0 with one", () => {
    expect(logicalAt([], 5)).toBeNull();
    expect(logicalAt([7], 99)).toBe(0);
  });
});

describe("fibLevels", () => {
  it("runs from the second point (0) to the first (1)", () => {
    const levels = fibLevels({ time: 0, price: 200 }, { time: 1, price: 100 });
    expect(levels[0]).toEqual({ level: 0, price: 100 });
    expect(levels.find((l) => l.level === 0.5)?.price).toBe(150);
    expect(levels.find((l) => l.level === 0.618)?.price).toBeCloseTo(161.8);
    expect(levels.at(-1)).toEqual({ level: 1, price: 200 });
  });
});

describe("readDrawings", () => {
  it("keeps the valid drawings and counts the bad ones", () => {
    const good = { id: "a", kind: "rect", a: { time: 1, price: 2 }, b: { time: 3, price: 4 } };
    const read = readDrawings([good, { ...good, id: "b", kind: "spiral" }, { ...good, id: "c", a: { time: "x", price: 1 } }, null]);
    expect(read.drawings).toEqual([good]);
    expect(read.dropped).toBe(3);
  });

  it("reads nothing from a non-list, counting it only when something was there", () => {
    expect(readDrawings(undefined)).toEqual({ drawings: [], dropped: 0 });
    expect(readDrawings({ a: 1 })).toEqual({ drawings: [], dropped: 1 });
  });
});

describe("makeDrawing", () => {
  it("needs one point for a horizontal line and two for the others", () => {
    const p = { time: 10, price: 5 };
    expect(makeDrawing("hline", [p], "h")).toEqual({ id: "h", kind: "hline", a: p, b: p });
    expect(makeDrawing("trend", [p], "t")).toBeNull();
    expect(makeDrawing("fib", [p, { time: 20, price: 9 }], "f")?.b).toEqual({ time: 20, price: 9 });
  });
});

describe("timeAt", () => {
  it("reverses logicalAt inside, between and past the bars", () => {
    const times = [100, 160, 220, 280];
    for (const t of [100, 190, 40, 400]) expect(timeAt(times, logicalAt(times, t)!)).toBe(t);
    expect(timeAt([], 1)).toBeNull();
  });
});
