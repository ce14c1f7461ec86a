import { describe, expect, it } from "vitest";
import { paneStretch } from "./pane-layout.ts";

describe("paneStretch", () => {
  it("gives the price pane all the height without indicator panes", () => {
    expect(paneStretch(0)).toEqual({ price: 1, indicator: 0 });
  });

  it("gives each of one or two indicator panes a quarter", () => {
    expect(paneStretch(1)).toEqual({ price: 0.75, indicator: 0.25 });
    expect(paneStretch(2)).toEqual({ price: 0.5, indicator: 0.25 });
  });

  it("keeps half for the price pane when more panes share the other half", () => {
    for (const n of [3, 4, 7]) {
      const s = paneStretch(n);
      expect(s.price).toBeCloseTo(0.5, 12);
      expect(s.indicator).toBeCloseTo(0.5 / n, 12);
      expect(s.price + n * s.indicator).toBeCloseTo(1, 12);
    }
  });
});
