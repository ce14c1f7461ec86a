import { describe, expect, it } from "vitest";
import { RESYNC_SHOW_MS, StickyResync, appendTape, bookDisplay, padPrice, priceStringDecimals, seriesPriceDecimals, type BookView, type TapeTrade } from "./model.ts";

const view = (bids: Array<[string, string]>, asks: Array<[string, string]>, state: BookView["state"] = "live"): BookView => ({ bids, asks, state, ts: 0 });

describe("order book display", () => {
  it("keeps the feed's exact decimal strings, cumulates sizes and scales depth to the deeper side", () => {
    const d = bookDisplay(view([["100.5", "1"], ["100.4", "3"]], [["100.7", "2"], ["100.9", "0.5"]]));
    expect(d.bids.map((r) => [r.price, r.size, r.cum, r.depth])).toEqual([["100.5", "1", 1, 0.25], ["100.4", "3", 4, 1]]);
    expect(d.asks.map((r) => r.price)).toEqual(["100.9", "100.7"]);
    expect(d.asks[0]!.depth).toBeCloseTo(2.5 / 4);
    expect(d.spread).toBeCloseTo(0.2);
    expect(d.spreadFraction).toBeCloseTo(0.2 / 100.6);
  });

  it("shows at most N levels, skips zero sizes, and has no spread with an empty side", () => {
    const bids: Array<[string, string]> = Array.from({ length: 30 }, (_, i) => [String(100 - i), i === 0 ? "0" : "1"]);
    const d = bookDisplay(view(bids, []), 20);
    expect(d.bids).toHaveLength(20);
    expect(d.bids[0]!.price).toBe("99");
    expect(d.spread).toBeNull();
  });

  it("carries the resyncing state through", () => {
    expect(bookDisplay(view([], [], "resyncing")).state).toBe("resyncing");
  });

  it("puts the newest trades first and caps the tape", () => {
    const t = (id: number): TapeTrade => ({ price: "1", size: "1", side: "buy", ts: id, id: String(id) });
    let tape = appendTape([], [t(1), t(2)], 3);
    tape = appendTape(tape, [t(3), t(4)], 3);
    expect(tape.map((x) => x.id)).toEqual(["4", "3", "2"]);
    expect(appendTape(tape, Array.from({ length: 10 }, (_, i) => t(10 + i)), 3).map((x) => x.id)).toEqual(["19", "18", "17"]);
  });
});

describe("resyncing state", () => {
  it("keeps the last levels while resyncing and shows the state for a minimum time", () => {
    const sticky = new StickyResync();
    const live = view([["1", "1"]], [["2", "1"]]);
    const shown = sticky.apply(live, { bids: [], asks: [], state: "resyncing", ts: 5 }, 1000);
    expect(shown).toMatchObject({ state: "resyncing", bids: [["1", "1"]] });
    const fresh = view([["1.5", "1"]], [["2", "1"]]);
    expect(sticky.apply(shown, fresh, 1000 + RESYNC_SHOW_MS - 1)).toMatchObject({ state: "resyncing", bids: [["1.5", "1"]] });
    expect(sticky.apply(shown, fresh, 1000 + RESYNC_SHOW_MS).state).toBe("live");
  });
});

describe("book and tape prices with the series' decimals", () => {
  it("reads the decimals a price needs, trailing zeros aside", () => {
    expect(priceStringDecimals("100.50000000")).toBe(1);
    expect(priceStringDecimals("100")).toBe(0);
    expect(priceStringDecimals("0.00001234")).toBe(8);
    expect(seriesPriceDecimals(["100.5", "100.25", "101"])).toBe(2);
  });

  it("writes every price with the series' decimals, never cutting a digit", () => {
    expect(["100.5", "100.25", "101", "99.10000000"].map((p) => padPrice(p, 2))).toEqual(["100.50", "100.25", "101.00", "99.10"]);
    expect(padPrice("1.2345", 2)).toBe("1.2345");
    expect(padPrice("42.000", 0)).toBe("42");
  });
});
