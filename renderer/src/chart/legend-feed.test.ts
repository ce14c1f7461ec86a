import { describe, expect, it } from "vitest";
import type { LegendBar } from "./controller.ts";
import { manualFrames } from "../lib/frame-testing.ts";
import { createLegendStore, legendFeed } from "./legend-feed.ts";

const bar = (close: number): LegendBar => ({ time: 60_000, open: 1, high: 2, low: 1, close, volume: 3 });

/** A controller with 2 decimals whose indicator reads the bar's time, hovering as told. */
function fakeCtrl(hovering: { on: boolean }): { decimals: number; isHovering: boolean; indicatorValues(time: number): Array<{ id: number; label: string; values: Array<{ name: string; value: number }> }> } {
  return {
    decimals: 2,
    get isHovering() {
      return hovering.on;
    },
    indicatorValues: (time) => [{ id: 1, label: "SMA 2", values: [{ name: "sma", value: time }] }],
  };
}

describe("legendFeed", () => {
  it("shows a crosshair bar at once with the indicators' values and the price decimals", () => {
    const store = createLegendStore();
    const feed = legendFeed(store, () => fakeCtrl({ on: false }));
    feed.onLegend(bar(1.5));
    expect(store.getState()).toEqual({ bar: bar(1.5), decimals: 2, readings: [{ id: 1, label: "SMA 2", values: [{ name: "sma", value: 60_000 }] }] });
    feed.onLegend(null);
    expect(store.getState()).toMatchObject({ bar: null, readings: [] });
    feed.dispose();
  });

  it("paces live bars, shows only the newest, and leaves the hovered bar in place", () => {
    const store = createLegendStore();
    const hovering = { on: false };
    const frames = manualFrames();
    const feed = legendFeed(store, () => fakeCtrl(hovering), frames.schedule);
    feed.onLegend(bar(1), true);
    feed.onLegend(bar(2), true);
    expect(store.getState().bar).toBeNull();
    frames.flush();
    expect(store.getState().bar?.close).toBe(2);
    feed.onLegend(bar(9));
    hovering.on = true;
    feed.onLegend(bar(3), true);
    frames.flush();
    expect(store.getState().bar?.close).toBe(9);
    feed.dispose();
  });
});
