/**
 * The compare overlay: a second symbol's closes as a line on the price pane, on the chart's bar
 * times only ({@link alignCloses}); meant for the percent scale, where each series starts at 0 %
 * at the first visible bar. It holds the other symbol's stored bars (no live updates) and redraws
 * the window's slice when the window moves.
 */
import { LineSeries, type IChartApi, type ISeriesApi, type LineData, type UTCTimestamp, type WhitespaceData } from "lightweight-charts";
import { alignCloses } from "./compare.ts";
import type { OhlcvColumns } from "./types.ts";

const COMPARE_COLOR = "#ab47bc";

/** The compare line of one chart. */
export class CompareLayer {
  private readonly chart: IChartApi;
  private series: ISeriesApi<"Line"> | null = null;
  private bars: OhlcvColumns | null = null;

  constructor(chart: IChartApi) {
    this.chart = chart;
  }

  /** Shows `bars` (another symbol, the chart's timeframe) over the window's `times` (UTC s); null removes the line. */
  set(bars: OhlcvColumns | null, title: string, times: readonly UTCTimestamp[]): void {
    this.bars = bars;
    if (!bars) {
      if (this.series) this.chart.removeSeries(this.series);
      this.series = null;
      return;
    }
    if (!this.series) this.series = this.chart.addSeries(LineSeries, { color: COMPARE_COLOR, lineWidth: 2, priceLineVisible: false, title }, 0);
    else this.series.applyOptions({ title });
    this.draw(times);
  }

  /** Redraws for the window's `times`. */
  draw(times: readonly UTCTimestamp[]): void {
    if (!this.series || !this.bars) return;
    this.series.setData(alignCloses(times, this.bars.time, this.bars.close) as Array<LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>>);
  }

  /** Empties the line (before the window's bars change; {@link draw} refills it). */
  clear(): void {
    this.series?.setData([]);
  }
}
