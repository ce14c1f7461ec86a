/**
 * One indicator line on the chart as two series, like the candles (`price-series.ts`): every point
 * of the window but the newest in a "closed" series, and the newest — the one a forming bar keeps
 * changing — in a "forming" series of its own (a line's forming series also holds the point
 * before, so the last segment joins). Why: `setData` makes lightweight-charts rebuild the time
 * scale from every series' points, and the live recompute (once a second per chart) did that for
 * every indicator line of every chart; with four charts those rebuilds met in one live tick (a
 * long task). A forming bar now resets a one- or two-point series; the closed series grows by one
 * `update` per bar period.
 */
import { HistogramSeries, LineSeries, type IChartApi, type ISeriesApi, type PriceFormat, type UTCTimestamp } from "lightweight-charts";

/** One point of an indicator line: no value while it warms up. */
export interface IndicatorPoint {
  time: UTCTimestamp;
  value?: number;
  color?: string;
}

/** The options both series of a line share. */
export interface IndicatorSeriesOptions {
  color: string;
  priceFormat: PriceFormat;
}

/** An indicator line split into its closed points and its newest point. */
export class SplitIndicatorSeries {
  private readonly closed: ISeriesApi<"Line" | "Histogram">;
  private readonly forming: ISeriesApi<"Line" | "Histogram">;
  /** Points the forming series holds: the newest, and for a line the one before. */
  private readonly tail: 1 | 2;
  /** Points in the closed series. */
  private closedCount = 0;

  constructor(chart: IChartApi, style: "line" | "histogram", options: IndicatorSeriesOptions, pane: number) {
    const opts = { ...options, priceLineVisible: false, lastValueVisible: false };
    const make = (): ISeriesApi<"Line" | "Histogram"> => (style === "line" ? chart.addSeries(LineSeries, { ...opts, lineWidth: 1 }, pane) : chart.addSeries(HistogramSeries, opts, pane));
    this.closed = make();
    this.forming = make();
    this.tail = style === "line" ? 2 : 1;
  }

  /** Shows `points` (the window's, oldest first). */
  setData(points: IndicatorPoint[]): void {
    const last = Math.max(0, points.length - 1);
    this.closedCount = last;
    this.closed.setData(points.slice(0, last));
    this.forming.setData(points.slice(Math.max(0, points.length - this.tail)));
  }

  /**
   * The newest of `n` points changed (`point(i)` gives point `i` of the window), or with `isNew` a
   * point was added: the point before it moves into the closed series.
   */
  live(point: (i: number) => IndicatorPoint, n: number, isNew: boolean): void {
    if (isNew && this.closedCount === n - 2 && n >= 2) {
      this.closed.update(point(n - 2));
      this.closedCount++;
    } else if (this.closedCount !== n - 1) {
      return this.setData(Array.from({ length: n }, (_, i) => point(i)));
    }
    const from = Math.max(0, n - this.tail);
    this.forming.setData(Array.from({ length: n - from }, (_, i) => point(from + i)));
  }

  /** Applies a price format to both series. */
  setPriceFormat(format: PriceFormat): void {
    this.closed.applyOptions({ priceFormat: format });
    this.forming.applyOptions({ priceFormat: format });
  }

  /** Empties both series. */
  clear(): void {
    this.closedCount = 0;
    this.closed.setData([]);
    this.forming.setData([]);
  }

  /** Removes both series from `chart`. */
  remove(chart: IChartApi): void {
    chart.removeSeries(this.closed);
    chart.removeSeries(this.forming);
  }
}
