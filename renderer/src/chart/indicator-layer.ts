/**
 * Draws the indicator plots on a lightweight-charts chart: overlays as line series on the price
 * pane, RSI and MACD in panes below it, each labelled (a text watermark at its top left)
 * and given a quarter of the chart's height, the price pane keeping at least half
 * (`pane-layout.ts`); the legend reads every indicator's values at a bar.
 *
 * Values are computed over ALL loaded closes and each line series gets the slice of the chart's
 * window. A warm-up margin before the window would only approximate EMA, RSI and MACD (recursive:
 * every earlier close still weighs in), so a value at the window's left edge would differ from the
 * same bar's value seen at the live edge; one pass over a million closes costs a few ms and runs
 * only when bars are loaded, a new bar opens, or at most once a second while a bar forms. A window
 * shift only slices the stored values. Each line is a {@link SplitIndicatorSeries}: a live
 * recompute resets only the newest point's series.
 */
import { createTextWatermark, type IChartApi, type PriceFormat, type UTCTimestamp } from "lightweight-charts";
import type { IndicatorConfig } from "../stores/chart.ts";
import { SplitIndicatorSeries, type IndicatorPoint } from "./indicator-series.ts";
import { computeIndicator, type IndicatorPlot } from "./indicators.ts";
import { paneStretch } from "./pane-layout.ts";

const PALETTE = ["#f0b429", "#2962ff", "#9c27b0", "#26a69a", "#ff6d00"];
const LIVE_RECOMPUTE_MS = 1000;
/** The first pane below the price pane (which holds the candles and the volume). */
const FIRST_INDICATOR_PANE = 1;

/** One indicator's values at a bar, for the legend. */
export interface IndicatorReading {
  id: number;
  label: string;
  values: Array<{ name: string; value: number }>;
}

/** The indicator series of one chart. */
export class IndicatorLayer {
  private readonly chart: IChartApi;
  private configs: IndicatorConfig[] = [];
  private series: Array<{ id: number; name: string; api: SplitIndicatorSeries }> = [];
  private priceFormat: PriceFormat = { type: "price", precision: 2, minMove: 0.01 };
  private lastLive = 0;
  /** Values of each configured indicator over all loaded closes. */
  private plots: IndicatorPlot[] = [];
  /** The version of the loaded bars (`HistoryWindow.version`) {@link plots} were computed from. */
  private computedAt = -1;

  constructor(chart: IChartApi) {
    this.chart = chart;
  }

  /** Replaces the set of indicators: computes them over `closes` (all loaded, at `version`) and draws the window from `start`. */
  configure(configs: IndicatorConfig[], closes: Float64Array, version: number, start: number, times: readonly UTCTimestamp[]): void {
    for (const s of this.series) s.api.remove(this.chart);
    this.series = [];
    for (let p = this.chart.panes().length - 1; p >= FIRST_INDICATOR_PANE; p--) this.chart.removePane(p);
    this.configs = configs;
    let pane = FIRST_INDICATOR_PANE;
    for (const c of configs) {
      const plot = computeIndicator(c, []);
      const target = plot.overlay ? 0 : pane++;
      for (const line of plot.lines) {
        const api = new SplitIndicatorSeries(this.chart, line.style, { color: PALETTE[line.color % PALETTE.length]!, priceFormat: this.priceFormat }, target);
        this.series.push({ id: c.id, name: line.name, api });
      }
      const own = plot.overlay ? undefined : this.chart.panes()[target];
      if (own) createTextWatermark(own, { horzAlign: "left", vertAlign: "top", lines: [{ text: plot.label, color: "#8b949e", fontSize: 11 }] });
    }
    this.sizePanes();
    this.recompute(closes, version);
    this.draw(closes, version, start, times);
  }

  /** The price format of every indicator line (the chart's price precision). */
  setPriceFormat(format: PriceFormat): void {
    this.priceFormat = format;
    for (const s of this.series) s.api.setPriceFormat(format);
  }

  /** Recomputes every indicator over all loaded closes (oldest first) at `version`; {@link draw} shows them. */
  recompute(closes: Float64Array, version: number): void {
    this.plots = this.configs.map((c) => computeIndicator(c, closes));
    this.computedAt = version;
  }

  /**
   * Gives each line series the values of the window (global indices `start` .. `start + times.length`),
   * recomputing first when the loaded bars changed since (`version`).
   */
  draw(closes: Float64Array, version: number, start: number, times: readonly UTCTimestamp[]): void {
    if (this.configs.length === 0) return;
    if (version !== this.computedAt) this.recompute(closes, version);
    for (const plot of this.plots) this.drawPlot(plot, start, times);
  }

  /**
   * Called after each live bar: recomputes on a new bar, at most once a second while a bar forms;
   * when the window is at the live edge (`times` given) the newest point of each line is redrawn
   * (and on a new bar the one before it closed), else only the stored values change.
   */
  onLiveBar(closes: Float64Array, version: number, newBar: boolean, times: readonly UTCTimestamp[] | null): void {
    if (this.configs.length === 0) return;
    const now = performance.now();
    if (!newBar && now - this.lastLive < LIVE_RECOMPUTE_MS) return;
    this.lastLive = now;
    this.recompute(closes, version);
    if (!times) return;
    const start = closes.length - times.length;
    for (const plot of this.plots) {
      for (const line of plot.lines) this.lineSeries(plot, line.name)?.live((i) => point(line, start + i, times[i]!), times.length, newBar);
    }
  }

  /** Each indicator's label and its lines' values at global bar `index` (NaN while it warms up). */
  valuesAt(index: number): IndicatorReading[] {
    return this.plots.map((p) => ({ id: p.id, label: p.label, values: p.lines.map((l) => ({ name: l.name, value: l.values[index] ?? Number.NaN })) }));
  }

  /** Empties every indicator series (before the window's bars change; {@link draw} refills them). */
  clear(): void {
    for (const s of this.series) s.api.clear();
  }

  /**
   * Sets every pane's stretch factor, the price pane's too (the library gives it 2, and a separator
   * the user dragged changed them all): each indicator pane a quarter, the price pane at least half.
   */
  private sizePanes(): void {
    const panes = this.chart.panes();
    const stretch = paneStretch(panes.length - FIRST_INDICATOR_PANE);
    panes.forEach((pane, i) => pane.setStretchFactor(i < FIRST_INDICATOR_PANE ? stretch.price : stretch.indicator));
  }

  private drawPlot(plot: IndicatorPlot, start: number, times: readonly UTCTimestamp[]): void {
    for (const line of plot.lines) {
      const s = this.lineSeries(plot, line.name);
      if (!s) continue;
      const data: IndicatorPoint[] = new Array(times.length);
      for (let i = 0; i < times.length; i++) data[i] = point(line, start + i, times[i]!);
      s.setData(data);
    }
  }

  private lineSeries(plot: IndicatorPlot, name: string): SplitIndicatorSeries | undefined {
    return this.series.find((x) => x.id === plot.id && x.name === name)?.api;
  }
}

/** Point `index` (global) of an indicator line at `time`; no value while it warms up. */
function point(line: IndicatorPlot["lines"][number], index: number, time: UTCTimestamp): IndicatorPoint {
  const v = line.values[index] ?? Number.NaN;
  if (Number.isNaN(v)) return { time };
  return line.style === "histogram" ? { time, value: v, color: v >= 0 ? "#26a69a80" : "#ef535080" } : { time, value: v };
}
