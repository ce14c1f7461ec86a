import type { IChartApi, SeriesMarker, Time } from "lightweight-charts";
import { describe, expect, it } from "vitest";
import { MarkerLayer } from "./marker-layer.ts";
import type { PriceSeries } from "./price-series.ts";

const marker = (time: number): SeriesMarker<Time> => ({ time: time as Time, position: "aboveBar", shape: "arrowDown", color: "#000", text: "+1.00" });

/** A chart whose view shows `bars` bars across 600 px, and a price series recording what it is given. */
function setup(): { layer: MarkerLayer; view: { bars: number }; shown: () => SeriesMarker<Time>[] } {
  const view = { bars: 10 };
  let shown: SeriesMarker<Time>[] = [];
  const timeScale = { getVisibleLogicalRange: () => ({ from: 0, to: view.bars }), width: () => 600, options: () => ({ barSpacing: 6 }) };
  const chart = { timeScale: () => timeScale } as unknown as IChartApi;
  const price = { setMarkers: (m: SeriesMarker<Time>[]) => (shown = m) } as unknown as PriceSeries;
  return { layer: new MarkerLayer(chart, price), view, shown: () => shown };
}

describe("backtest marker layer", () => {
  const times = Array.from({ length: 100 }, (_, i) => i * 60);

  it("gives the series only the markers inside its window", () => {
    const { layer, shown } = setup();
    layer.set([marker(-60), marker(60), marker(99 * 60 + 60)], times);
    expect(shown().map((m) => m.time)).toEqual([60]);
  });

  it("thins the labels again when the view zooms out, keeping every arrow", () => {
    const { layer, view, shown } = setup();
    const all = times.slice(0, 10).map(marker);
    layer.set(all, times);
    expect(shown().every((m) => m.text === "+1.00")).toBe(true);
    view.bars = 200;
    layer.followZoom(times);
    expect(shown()).toHaveLength(10);
    expect(shown().filter((m) => m.text !== "").length).toBeLessThan(5);
  });
});
