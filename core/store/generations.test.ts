import { describe, expect, it } from "vitest";
import { DataGenerations } from "./generations.ts";

describe("data generations", () => {
  it("says the earliest time touched since a generation, per venue and across venues", () => {
    const g = new DataGenerations();
    const pair = g.of("X", "a");
    const any = g.of("X");
    expect(g.changedSince(pair, "X", "a")).toBe(Number.POSITIVE_INFINITY);
    g.bump("a", "X", 500);
    g.bumpEvents([
      { exchange: "a", symbol: "X", ts: 700 },
      { exchange: "b", symbol: "X", ts: 300 },
      { exchange: "a", symbol: "X", ts: 400 },
    ]);
    expect(g.changedSince(pair, "X", "a")).toBe(400);
    expect(g.changedSince(any, "X")).toBe(300);
    expect(g.changedSince(g.of("X", "a"), "X", "a")).toBe(Number.POSITIVE_INFINITY);
  });

  it("is unknown after a bump without a time, a global bump, or beyond the kept history", () => {
    const g = new DataGenerations();
    const start = g.of("X", "a");
    g.bump("a", "X");
    expect(g.changedSince(start, "X", "a")).toBeNull();
    const mid = g.of("X", "a");
    g.bump("a", "X", 10);
    expect(g.changedSince(mid, "X", "a")).toBe(10);
    g.bumpAll();
    expect(g.changedSince(mid, "X", "a")).toBeNull();
    const late = g.of("X", "a");
    for (let i = 0; i < 100; i++) g.bump("a", "X", 1000 + i);
    expect(g.changedSince(late, "X", "a")).toBeNull();
    expect(g.changedSince(g.of("X", "a"), "X", "a")).toBe(Number.POSITIVE_INFINITY);
  });
});
