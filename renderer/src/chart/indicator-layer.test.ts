import type { IChartApi, UTCTimestamp } from "lightweight-charts";
import { describe, expect, it, vi } from "vitest";
import { HistoryWindow } from "./history-window.ts";
import { IndicatorLayer } from "./indicator-layer.ts";
import type { IndicatorConfig } from "./types.ts";
import type { OhlcvColumns } from "./types.ts";

type Point = { time: number; value?: number };

/** A pane of {@link fakeChart}: its stretch factor. */
interface FakePane {
  stretch: number;
  setStretchFactor(f: number): void;
  attachPrimitive(): void;
}

/** A pane with the library's default factor (1; the chart's first pane gets 2). */
function fakePane(stretch = 1): FakePane {
  return {
    stretch,
    setStretchFactor(f: number) {
      this.stretch = f;
    },
    attachPrimitive: () => undefined,
  };
}

/**
 * A chart that keeps the data of each series it made (`setData` and `update`), counts the
 * `setData` calls, and makes the pane a series names (as lightweight-charts does).
 */
function fakeChart(): { chart: IChartApi; data: Point[][]; sets: number[]; panes: FakePane[] } {
  const data: Point[][] = [];
  const sets: number[] = [];
  const panes = [fakePane(2)];
  const chart = {
    addSeries: (_kind: unknown, _options: unknown, pane = 0) => {
      while (panes.length <= pane) panes.push(fakePane());
      const index = data.push([]) - 1;
      sets.push(0);
      return {
        setData: (d: Point[]) => {
          data[index] = d;
          sets[index]!++;
        },
        update: (p: Point) => {
          const d = data[index]!;
          if (d.length > 0 && d[d.length - 1]!.time === p.time) d[d.length - 1] = p;
          else d.push(p);
        },
        applyOptions: () => undefined,
      };
    },
    panes: () => panes,
    removeSeries: () => undefined,
    removePane: (i: number) => void panes.splice(i, 1),
  };
  return { chart: chart as unknown as IChartApi, data, sets, panes };
}

/** The values line `k` shows: its closed series (2k) and its forming series (2k + 1) together, by time. */
function shown(data: Point[][], k: number): Array<number | undefined> {
  const byTime = new Map<number, Point>();
  for (const p of [...data[2 * k]!, ...data[2 * k + 1]!]) byTime.set(p.time, p);
  return [...byTime.values()].sort((a, b) => a.time - b.time).map((p) => p.value);
}

/** Bars whose closes are `closes`, one a minute. */
function columns(closes: number[]): OhlcvColumns {
  const time = closes.map((_, i) => i * 60_000);
  return { time, open: closes, high: closes, low: closes, close: closes, volume: closes };
}

const times = (w: HistoryWindow): UTCTimestamp[] => Array.from(w.column("time").subarray(w.start, w.end), (t) => (t / 1000) as UTCTimestamp);

describe("IndicatorLayer", () => {
  it("recomputes for another series of the same length (a symbol or timeframe switch)", () => {
    const { chart, data } = fakeChart();
    const history = new HistoryWindow({ size: 10, cap: 12, edge: 2 });
    const layer = new IndicatorLayer(chart);
    history.replace(columns([1, 2, 3, 4, 5]));
    layer.configure([{ id: 1, kind: "sma", period: 2 }], history.column("close"), history.version, history.start, times(history));
    expect(shown(data, 0)).toEqual([undefined, 1.5, 2.5, 3.5, 4.5]);
    history.replace(columns([100, 200, 300, 400, 500]));
    layer.draw(history.column("close"), history.version, history.start, times(history));
    expect(shown(data, 0)).toEqual([undefined, 150, 250, 350, 450]);
  });

  it("reuses its values while the bars are unchanged, and sees a live bar that kept the length", () => {
    const { chart, data } = fakeChart();
    const history = new HistoryWindow({ size: 10, cap: 12, edge: 2 });
    const layer = new IndicatorLayer(chart);
    history.replace(columns([1, 2, 3]));
    layer.configure([{ id: 1, kind: "sma", period: 2 }], history.column("close"), history.version, history.start, times(history));
    const version = history.version;
    layer.draw(history.column("close"), history.version, history.start, times(history));
    expect(history.version).toBe(version);
    history.live({ time: 2 * 60_000, open: 3, high: 9, low: 3, close: 9, volume: 1 });
    expect(history.version).not.toBe(version);
    layer.draw(history.column("close"), history.version, history.start, times(history));
    expect(shown(data, 0)).toEqual([undefined, 1.5, 5.5]);
  });

  it("reads each indicator's values at a bar for the legend (NaN while warming up)", () => {
    const { chart } = fakeChart();
    const history = new HistoryWindow({ size: 10, cap: 12, edge: 2 });
    const layer = new IndicatorLayer(chart);
    history.replace(columns([1, 2, 3, 4]));
    layer.configure([{ id: 1, kind: "sma", period: 2 }, { id: 2, kind: "bbands", period: 2, param2: 2 }], history.column("close"), history.version, history.start, times(history));
    const at3 = layer.valuesAt(3);
    expect(at3.map((r) => r.label)).toEqual(["SMA 2", "BB 2 2"]);
    expect(at3[0]!.values).toEqual([{ name: expect.any(String), value: 3.5 }]);
    expect(at3[1]!.values).toHaveLength(3);
    expect(Number.isNaN(layer.valuesAt(0)[0]!.values[0]!.value)).toBe(true);
  });

  it("redraws only the newest point's series on a live tick, and closes the point before a new bar", () => {
    const { chart, data, sets } = fakeChart();
    const history = new HistoryWindow({ size: 10, cap: 12, edge: 2 });
    const layer = new IndicatorLayer(chart);
    history.replace(columns([1, 2, 3]));
    layer.configure([{ id: 1, kind: "sma", period: 2 }], history.column("close"), history.version, history.start, times(history));
    expect(data[0]!.map((p) => p.value)).toEqual([undefined, 1.5]);
    expect(data[1]!.map((p) => p.value)).toEqual([1.5, 2.5]);
    const closedSets = sets[0];
    history.live({ time: 3 * 60_000, open: 5, high: 5, low: 5, close: 5, volume: 1 });
    layer.onLiveBar(history.column("close"), history.version, true, times(history));
    expect(shown(data, 0)).toEqual([undefined, 1.5, 2.5, 4]);
    expect(data[1]!.map((p) => p.value)).toEqual([2.5, 4]);
    history.live({ time: 3 * 60_000, open: 5, high: 7, low: 5, close: 7, volume: 1 });
    // A forming bar is recomputed at most once a second.
    const now = performance.now();
    layer.onLiveBar(history.column("close"), history.version, false, times(history));
    expect(shown(data, 0)).toEqual([undefined, 1.5, 2.5, 4]);
    vi.spyOn(performance, "now").mockReturnValue(now + 1500);
    layer.onLiveBar(history.column("close"), history.version, false, times(history));
    expect(shown(data, 0)).toEqual([undefined, 1.5, 2.5, 5]);
    expect(sets[0]).toBe(closedSets);
    vi.restoreAllMocks();
  });

  it("gives each indicator pane a quarter of the height and the price pane at least half, as indicators come and go", () => {
    const { chart, panes } = fakeChart();
    const history = new HistoryWindow({ size: 10, cap: 12, edge: 2 });
    const layer = new IndicatorLayer(chart);
    history.replace(columns([1, 2, 3, 4, 5]));
    const configure = (configs: IndicatorConfig[]): number[] => {
      layer.configure(configs, history.column("close"), history.version, history.start, times(history));
      return panes.map((p) => p.stretch);
    };
    const rsi = (id: number): IndicatorConfig => ({ id, kind: "rsi", period: 3 });
    const macd: IndicatorConfig = { id: 9, kind: "macd", period: 2, param2: 3, param3: 2 };
    expect(configure([rsi(1)])).toEqual([0.75, 0.25]);
    expect(configure([{ id: 5, kind: "sma", period: 2 }, rsi(1), macd])).toEqual([0.5, 0.25, 0.25]);
    const three = configure([rsi(1), macd, rsi(2)]);
    expect(three[0]).toBeCloseTo(0.5, 12);
    for (const f of three.slice(1)) expect(f).toBeCloseTo(1 / 6, 12);
    expect(configure([macd])).toEqual([0.75, 0.25]);
    expect(configure([])).toEqual([1]);
  });
});
