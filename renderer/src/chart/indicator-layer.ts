/**
 * Draws the indicator plots on a lightweight-charts chart: overlays as line series on the price
 * pane, RSI and MACD in panes below the volume. Values are recomputed when bars are loaded or a
 * new bar opens; while a bar is forming, at most once per second.
 */
import { HistogramSeries, LineSeries, type CandlestickData, type IChartApi, type ISeriesApi, type PriceFormat, type UTCTimestamp } from "lightweight-charts";
import type { IndicatorConfig } from "../stores/chart.ts";
import { computeIndicator, type IndicatorPlot } from "./indicators.ts";

const PALETTE = ["#f0b429", "#2962ff", "#9c27b0", "#26a69a", "#ff6d00"];
const LIVE_RECOMPUTE_MS = 1000;
const FIRST_INDICATOR_PANE = 2;

type Candles = ReadonlyArray<CandlestickData<UTCTimestamp>>;

/** The indicator series of one chart. */
export class IndicatorLayer {
  private readonly chart: IChartApi;
  private configs: IndicatorConfig[] = [];
  private series: Array<{ id: number; name: string; api: ISeriesApi<"Line" | "Histogram"> }> = [];
  private priceFormat: PriceFormat = { type: "price", precision: 2, minMove: 0.01 };
  private lastLive = 0;

  constructor(chart: IChartApi) {
    this.chart = chart;
  }

  /** Replaces the set of indicators. */
  configure(configs: IndicatorConfig[], candles: Candles): void {
    for (const s of this.series) this.chart.removeSeries(s.api);
    this.series = [];
    for (let p = this.chart.panes().length - 1; p >= FIRST_INDICATOR_PANE; p--) this.chart.removePane(p);
    this.configs = configs;
    let pane = FIRST_INDICATOR_PANE;
    for (const c of configs) {
      const plot = computeIndicator(c, []);
      const target = plot.overlay ? 0 : pane++;
      for (const line of plot.lines) {
        const opts = { color: PALETTE[line.color % PALETTE.length]!, priceLineVisible: false, lastValueVisible: false, priceFormat: this.priceFormat };
        const api = line.style === "line"
          ? this.chart.addSeries(LineSeries, { ...opts, lineWidth: 1 }, target)
          : this.chart.addSeries(HistogramSeries, opts, target);
        this.series.push({ id: c.id, name: line.name, api });
      }
      if (!plot.overlay) this.chart.panes()[target]?.setStretchFactor(0.2);
    }
    this.recompute(candles);
  }

  /** The price format of every indicator line (the chart's price precision). */
  setPriceFormat(format: PriceFormat): void {
    this.priceFormat = format;
    for (const s of this.series) s.api.applyOptions({ priceFormat: format });
  }

  /** Recomputes every indicator over all loaded bars. */
  recompute(candles: Candles): void {
    if (this.configs.length === 0) return;
    const closes = Float64Array.from(candles, (c) => c.close);
    for (const c of this.configs) this.draw(computeIndicator(c, closes), candles);
  }

  /** Called after each live update; recomputes on a new bar, throttled while a bar forms. */
  onLiveBar(candles: Candles, newBar: boolean): void {
    const now = performance.now();
    if (!newBar && now - this.lastLive < LIVE_RECOMPUTE_MS) return;
    this.lastLive = now;
    this.recompute(candles);
  }

  private draw(plot: IndicatorPlot, candles: Candles): void {
    for (const line of plot.lines) {
      const s = this.series.find((x) => x.id === plot.id && x.name === line.name);
      if (!s) continue;
      const data: Array<{ time: UTCTimestamp; value?: number; color?: string }> = new Array(candles.length);
      for (let i = 0; i < candles.length; i++) {
        const v = line.values[i]!;
        const time = candles[i]!.time;
        if (Number.isNaN(v)) data[i] = { time };
        else if (line.style === "histogram") data[i] = { time, value: v, color: v >= 0 ? "#26a69a80" : "#ef535080" };
        else data[i] = { time, value: v };
      }
      s.api.setData(data);
    }
  }
}
