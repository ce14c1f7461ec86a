import { describe, expect, it } from "vitest";
import { OrderBook } from "./book.ts";

describe("OrderBook", () => {
  it("keeps bids descending and asks ascending by exact decimal order", () => {
    const book = new OrderBook();
    book.apply("bids", [["9.99", "1"], ["10", "2"], ["10.5", "3"], ["9.9", "4"], ["100", "5"]]);
    book.apply("asks", [["100.01", "1"], ["100.001", "2"], ["1000", "3"], ["100.1", "4"]]);
    expect(book.bids.levels().map((l) => l[0])).toEqual(["100", "10.5", "10", "9.99", "9.9"]);
    expect(book.asks.levels().map((l) => l[0])).toEqual(["100.001", "100.01", "100.1", "1000"]);
  });

  it("replaces sizes, deletes on size 0 and ignores deletes of missing levels", () => {
    const book = new OrderBook();
    book.apply("bids", [["10", "1"], ["9", "2"], ["10", "5"], ["8", "0"], ["9", "0"]]);
    expect(book.bids.levels()).toEqual([["10", "5"]]);
  });

  it("truncates to a depth and serves views only while synced", () => {
    const book = new OrderBook();
    book.apply("asks", [["1", "1"], ["2", "1"], ["3", "1"]]);
    book.asks.truncate(2);
    expect(book.asks.levels()).toEqual([["1", "1"], ["2", "1"]]);
    expect(book.view()).toBeNull();
    book.status = "synced";
    expect(book.view(1)).toEqual({ bids: [], asks: [["1", "1"]] });
  });

  it("keeps tags and marks parallel to the levels through inserts, updates, deletes and truncation", () => {
    const side = new OrderBook().asks;
    side.set("3", "1", "c", 3);
    side.set("1", "1", "a", 1);
    side.set("2", "1", "b", 2);
    side.set("1", "5", "a2", 10);
    side.set("2", "0");
    expect([side.prices, side.tags, side.marks]).toEqual([["1", "3"], ["a2", "c"], [10, 3]]);
    side.truncate(1);
    expect([side.prices, side.tags, side.marks]).toEqual([["1"], ["a2"], [10]]);
    side.clear();
    expect([side.prices, side.tags, side.marks]).toEqual([[], [], []]);
  });
});

describe("BookSide against a model", () => {
  it("keeps prices, sizes, tags and marks in step with a sorted map through random sets and truncations, shallow and deep", () => {
    let seed = 3;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const span of [12, 40, 200]) {
      const side = new OrderBook().bids;
      const model = new Map<number, { size: string; tag: string; mark: number }>();
      for (let step = 0; step < 3000; step++) {
        const p = 1 + Math.floor(rand() * span);
        const size = rand() < 0.3 ? "0" : String(1 + Math.floor(rand() * 9));
        side.set(String(p), size, `t${step}`, step);
        if (size === "0") model.delete(p);
        else model.set(p, { size, tag: `t${step}`, mark: step });
        if (rand() < 0.05) {
          const depth = Math.floor(rand() * span);
          side.truncate(depth);
          for (const k of [...model.keys()].sort((a, b) => b - a).slice(depth)) model.delete(k);
        }
        const keys = [...model.keys()].sort((a, b) => b - a);
        expect(side.prices).toEqual(keys.map(String));
        expect(side.sizes).toEqual(keys.map((k) => model.get(k)!.size));
        expect(side.tags).toEqual(keys.map((k) => model.get(k)!.tag));
        expect(side.marks).toEqual(keys.map((k) => model.get(k)!.mark));
      }
    }
  });
});
