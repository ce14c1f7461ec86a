import type { IChartApi, ISeriesMarkersPluginApi, MouseEventParams, SeriesMarker, Time, UTCTimestamp } from "lightweight-charts";
import { describe, expect, it } from "vitest";
import { PriceSeries, VOLUME_SCALE, type Candle, type MarkersFactory, type VolumeBar } from "./price-series.ts";

interface FakeSeries {
  data: Array<{ time: number }>;
  options: Record<string, unknown>;
  updates: number;
  markers: Array<SeriesMarker<Time>>;
}

/** A chart whose series keep their data and options, and count `update` calls. */
function fakeChart(): { chart: IChartApi; series: FakeSeries[]; apis: object[] } {
  const series: FakeSeries[] = [];
  const apis: object[] = [];
  const chart = {
    addSeries: (_type: unknown, options: Record<string, unknown>) => {
      const s: FakeSeries = { data: [], options: { ...options }, updates: 0, markers: [] };
      series.push(s);
      const api = {
        setData: (d: Array<{ time: number }>) => (s.data = [...d]),
        update: (bar: { time: number }) => {
          // As the library: a bar older than the last one is an error.
          if ((s.data.at(-1)?.time ?? -Infinity) > bar.time) throw new Error("Cannot update oldest data");
          s.updates++;
          if (s.data.at(-1)?.time === bar.time) s.data[s.data.length - 1] = bar;
          else s.data.push(bar);
        },
        applyOptions: (o: Record<string, unknown>) => Object.assign(s.options, o),
      };
      apis.push({ ...api, fake: s });
      return apis[apis.length - 1];
    },
    priceScale: () => ({ applyOptions: () => undefined }),
  };
  return { chart: chart as unknown as IChartApi, series, apis };
}

/** A markers plugin that writes its markers into the fake series it was given. */
const fakeMarkers: MarkersFactory = (series) => {
  const s = (series as unknown as { fake: FakeSeries }).fake;
  return { setMarkers: (m: Array<SeriesMarker<Time>>) => (s.markers = m) } as unknown as ISeriesMarkersPluginApi<Time>;
};

const candle = (t: number, close: number): Candle => ({ time: t as UTCTimestamp, open: 1, high: close, low: 1, close });
const volume = (t: number, value: number): VolumeBar => ({ time: t as UTCTimestamp, value });
const times = (s: FakeSeries): number[] => s.data.map((d) => d.time);

/** The series in the order PriceSeries makes them (the volume first: it is drawn under the candles). */
const CLOSED_VOLUME = 0, FORMING_VOLUME = 1, CLOSED = 2, FORMING = 3;
function roles<T>(series: T[]): { closed: T; closedVolume: T; forming: T; formingVolume: T } {
  return { closed: series[CLOSED]!, closedVolume: series[CLOSED_VOLUME]!, forming: series[FORMING]!, formingVolume: series[FORMING_VOLUME]! };
}

describe("PriceSeries", () => {
  it("puts the newest bar of a window at the live edge in the forming series, which shows the last value", () => {
    const { chart, series } = fakeChart();
    const price = new PriceSeries(chart, {}, fakeMarkers);
    const { closed, closedVolume, forming, formingVolume } = roles(series);
    price.setData([candle(1, 5), candle(2, 6), candle(3, 7)], [volume(1, 1), volume(2, 2), volume(3, 3)], true);
    expect([times(closed), times(closedVolume), times(forming), times(formingVolume)]).toEqual([[1, 2], [1, 2], [3], [3]]);
    expect(closed.options.lastValueVisible).toBe(false);
    price.setData([candle(1, 5), candle(2, 6)], [volume(1, 1), volume(2, 2)], false);
    expect([times(closed), times(forming), times(formingVolume)]).toEqual([[1, 2], [], []]);
    expect(closed.options.lastValueVisible).toBe(true);
  });

  it("changes only the forming series on a live tick, and closes the forming bar into the closed series on a new one", () => {
    const { chart, series } = fakeChart();
    const price = new PriceSeries(chart, {}, fakeMarkers);
    const { closed, closedVolume, forming } = roles(series);
    price.setData([candle(1, 5), candle(2, 6)], [volume(1, 1), volume(2, 2)], true);
    price.live(candle(2, 9), volume(2, 4), false);
    expect(closed.updates + closedVolume.updates).toBe(0);
    expect(forming.data).toEqual([candle(2, 9)]);
    price.live(candle(3, 8), volume(3, 1), true);
    expect(closed.data).toEqual([candle(1, 5), candle(2, 9)]);
    expect(closedVolume.data).toEqual([volume(1, 1), volume(2, 4)]);
    expect(forming.data).toEqual([candle(3, 8)]);
  });

  it("starts the forming series from a live bar when the window was empty", () => {
    const { chart, series } = fakeChart();
    const price = new PriceSeries(chart, {}, fakeMarkers);
    price.setData([], [], true);
    price.live(candle(1, 5), volume(1, 1), true);
    expect([times(roles(series).closed), times(roles(series).forming)]).toEqual([[], [1]]);
    expect(roles(series).closed.options.lastValueVisible).toBe(false);
  });

  it("reads the crosshair's bar from whichever series has it", () => {
    const { chart, apis } = fakeChart();
    const price = new PriceSeries(chart, {}, fakeMarkers);
    const param = (entries: Array<[object, unknown]>): MouseEventParams<Time> => ({ seriesData: new Map(entries) }) as unknown as MouseEventParams<Time>;
    const { closed, forming, formingVolume } = roles(apis);
    expect(price.at(param([[forming, candle(3, 7)], [formingVolume, volume(3, 2)]]))).toEqual({ candle: candle(3, 7), volume: volume(3, 2) });
    expect(price.at(param([[closed, candle(1, 5)]]))?.candle).toEqual(candle(1, 5));
    expect(price.at(param([]))).toBeUndefined();
  });

  it("labels the last value on the closed series while the forming bar is out of view", () => {
    const { chart, series } = fakeChart();
    const price = new PriceSeries(chart, {}, fakeMarkers);
    const { closed, forming } = roles(series);
    price.setData([candle(1, 5), candle(2, 6), candle(3, 7)], [volume(1, 1), volume(2, 2), volume(3, 3)], true);
    expect([closed.options.lastValueVisible, forming.options.lastValueVisible]).toEqual([false, true]);
    price.followView({ from: 0, to: 1.5 });
    expect([closed.options.lastValueVisible, forming.options.lastValueVisible]).toEqual([false, true]);
    price.followView({ from: 0, to: 0.9 });
    expect([closed.options.lastValueVisible, forming.options.lastValueVisible]).toEqual([true, false]);
    price.live(candle(4, 8), volume(4, 1), true);
    expect(closed.options.lastValueVisible).toBe(true);
    price.followView({ from: 0, to: 4 });
    expect([closed.options.lastValueVisible, forming.options.lastValueVisible]).toEqual([false, true]);
  });

  it("puts a marker at the forming bar's time on the forming series, and moves it when the bar closes", () => {
    const { chart, series } = fakeChart();
    let plugins = 0;
    const price = new PriceSeries(chart, {}, (api, list) => (plugins++, fakeMarkers(api, list)));
    const { closed, forming } = roles(series);
    price.setData([candle(1, 5), candle(2, 6)], [volume(1, 1), volume(2, 2)], true);
    price.setMarkers([]);
    expect(plugins).toBe(0);
    const marker = (t: number): SeriesMarker<Time> => ({ time: t as UTCTimestamp, position: "belowBar", shape: "arrowUp", color: "x" });
    price.setMarkers([marker(1), marker(2)]);
    expect([closed.markers.map((m) => m.time), forming.markers.map((m) => m.time)]).toEqual([[1], [2]]);
    price.live(candle(3, 7), volume(3, 1), true);
    expect([closed.markers.map((m) => m.time), forming.markers.map((m) => m.time)]).toEqual([[1, 2], []]);
  });

  it("puts the volume on the price pane, on a scale of its own", () => {
    const { chart, series } = fakeChart();
    const panes: number[] = [];
    const addSeries = chart.addSeries.bind(chart);
    chart.addSeries = ((type: never, options: never, pane?: number) => (panes.push(pane ?? 0), addSeries(type, options))) as typeof chart.addSeries;
    new PriceSeries(chart, {}, fakeMarkers);
    expect(panes).toEqual([0, 0, 0, 0]);
    const { closedVolume, formingVolume, closed } = roles(series);
    expect([closedVolume.options.priceScaleId, formingVolume.options.priceScaleId, closed.options.priceScaleId]).toEqual([VOLUME_SCALE, VOLUME_SCALE, undefined]);
  });

  it("empties the volume and forming series before another window, and styles both candle series", () => {
    const { chart, series } = fakeChart();
    const price = new PriceSeries(chart, {}, fakeMarkers);
    price.setData([candle(1, 5), candle(2, 6)], [volume(1, 1), volume(2, 2)], true);
    price.clearOthers();
    const { closed, closedVolume, forming, formingVolume } = roles(series);
    expect([closed, closedVolume, forming, formingVolume].map((s) => s.data.length)).toEqual([1, 0, 0, 0]);
    price.applyCandleOptions({ upColor: "#0f0" });
    expect([closed.options.upColor, forming.options.upColor]).toEqual(["#0f0", "#0f0"]);
  });
});
