/**
 * The price chart outside React: one lightweight-charts v5 chart with candles in pane 0, volume
 * as a histogram in pane 1, indicator overlays and panes, and backtest markers. React only tells
 * it what to show; live updates and the crosshair legend go straight to the chart, so a busy feed
 * never re-renders components.
 *
 * Data is kept as the arrays the library takes (times in UTC seconds). Older pages are prepended
 * as the user scrolls back; the controller asks for them through `onNeedHistory` when fewer than
 * `HISTORY_MARGIN` bars are left of the visible range.
 */
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  createChart,
  createSeriesMarkers,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type LogicalRange,
  type MouseEventParams,
  type SeriesMarker,
  type TickMarkType,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { exactDecimals } from "../lib/format.ts";
import { formatDateTime, formatTick, type TickKind } from "../lib/time.ts";
import { IndicatorLayer } from "./indicator-layer.ts";
import type { IndicatorConfig, LegendBar, OhlcvColumns } from "./types.ts";

export type { LegendBar, OhlcvColumns };

/** Colors of the chart, read from the theme's CSS variables. */
export interface ChartColors {
  bg: string;
  text: string;
  grid: string;
  up: string;
  down: string;
}

/** Callbacks of {@link ChartController}. */
export interface ChartCallbacks {
  /** The user scrolled close to the oldest loaded bar. */
  onNeedHistory(): void;
  /** The bar under the crosshair (or the last bar when the crosshair leaves); `live` when a feed update changed the last bar. */
  onLegend(bar: LegendBar | null, live?: boolean): void;
}

/** Bars left of the visible range below which older history is requested. */
export const HISTORY_MARGIN = 50;

const toSec = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

/** Time-axis label kinds by lightweight-charts' `TickMarkType` (Year, Month, DayOfMonth, Time, TimeWithSeconds). */
const TICK_KINDS: readonly TickKind[] = ["year", "month", "day", "time", "seconds"];
/** Bars (newest) whose prices decide the price axis' precision. */
const PRECISION_SAMPLE = 500;

/** Drives one chart. */
export class ChartController {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<"Candlestick">;
  private readonly volume: ISeriesApi<"Histogram">;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private readonly indicators: IndicatorLayer;
  private candleData: CandlestickData<UTCTimestamp>[] = [];
  private volumeData: HistogramData<UTCTimestamp>[] = [];
  private colors: ChartColors;
  private readonly callbacks: ChartCallbacks;
  private timeZone = "UTC";
  /** Decimals of the price axis: as many as the series' prices have ({@link exactDecimals}). */
  private priceDecimals = -1;
  /** True while the crosshair is over a bar (the legend then shows that bar, not the live one). */
  private hovering = false;

  /** True while the crosshair is over a bar. */
  get isHovering(): boolean {
    return this.hovering;
  }

  constructor(container: HTMLElement, colors: ChartColors, callbacks: ChartCallbacks) {
    this.colors = colors;
    this.callbacks = callbacks;
    this.chart = createChart(container, { autoSize: true, ...this.chartOptions() });
    this.candles = this.chart.addSeries(CandlestickSeries, this.candleOptions(), 0);
    this.volume = this.chart.addSeries(HistogramSeries, { priceFormat: { type: "volume" }, priceLineVisible: false, lastValueVisible: false }, 1);
    this.chart.panes()[1]?.setStretchFactor(0.25);
    this.markers = createSeriesMarkers(this.candles, []);
    this.indicators = new IndicatorLayer(this.chart);
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRange);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
  }

  /** Removes the chart and its listeners. */
  dispose(): void {
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRange);
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.chart.remove();
  }

  /** Decimals the prices of this series are shown with (the axis, the legend). */
  get decimals(): number {
    return Math.max(0, this.priceDecimals);
  }

  /** Number of loaded bars. */
  get length(): number {
    return this.candleData.length;
  }

  /** Time (UTC ms) of the oldest loaded bar, or null. */
  get oldestTime(): number | null {
    const first = this.candleData[0];
    return first ? first.time * 1000 : null;
  }

  /** Replaces all bars (a new symbol or timeframe) and shows the latest ones. */
  setBars(bars: OhlcvColumns): void {
    this.candleData = [];
    this.volumeData = [];
    this.append(bars, "replace");
    this.priceDecimals = -1;
    this.fitPrecision(this.candleData.slice(-PRECISION_SAMPLE));
    this.candles.setData(this.candleData);
    this.volume.setData(this.volumeData);
    this.indicators.recompute(this.candleData);
    this.chart.timeScale().scrollToRealTime();
    this.callbacks.onLegend(this.lastBar());
  }

  /** Prepends older bars (a page of history); the view stays where the user is. */
  prependBars(bars: OhlcvColumns): void {
    if (bars.time.length === 0) return;
    this.append(bars, "prepend");
    this.candles.setData(this.candleData);
    this.volume.setData(this.volumeData);
    this.indicators.recompute(this.candleData);
  }

  /** Adds or replaces the newest bar from the live feed (older bars are ignored). */
  updateBar(bar: LegendBar): void {
    const time = toSec(bar.time);
    const last = this.candleData[this.candleData.length - 1];
    if (last && time < last.time) return;
    const candle = { time, open: bar.open, high: bar.high, low: bar.low, close: bar.close };
    const vol = { time, value: bar.volume, color: this.volumeColor(bar.open, bar.close) };
    const isNew = !last || time > last.time;
    this.fitPrecision([candle]);
    if (isNew) {
      this.candleData.push(candle);
      this.volumeData.push(vol);
    } else {
      this.candleData[this.candleData.length - 1] = candle;
      this.volumeData[this.volumeData.length - 1] = vol;
    }
    this.candles.update(candle);
    this.volume.update(vol);
    this.indicators.onLiveBar(this.candleData, isNew);
    if (!this.hovering) this.callbacks.onLegend({ ...bar, time: time * 1000 }, true);
  }

  /** Shows the indicators (overlays on the price pane, RSI/MACD in their own panes). */
  setIndicators(configs: IndicatorConfig[]): void {
    this.indicators.configure(configs, this.candleData);
  }

  /** Shows backtest markers (sorted by time). */
  setMarkers(markers: SeriesMarker<Time>[]): void {
    this.markers.setMarkers(markers);
  }

  /** Scrolls so that the bar at `timeMs` is centred. */
  scrollToTime(timeMs: number): void {
    const index = lowerBound(this.candleData, toSec(timeMs));
    const range = this.chart.timeScale().getVisibleLogicalRange();
    const half = range ? (range.to - range.from) / 2 : 50;
    this.chart.timeScale().setVisibleLogicalRange({ from: index - half, to: index + half });
  }

  /** Applies new theme colors. */
  setColors(colors: ChartColors): void {
    this.colors = colors;
    this.chart.applyOptions(this.chartOptions());
    this.candles.applyOptions(this.candleOptions());
    this.volumeData = this.volumeData.map((v, i) => ({ ...v, color: this.volumeColor(this.candleData[i]!.open, this.candleData[i]!.close) }));
    this.volume.setData(this.volumeData);
  }

  /** Sets the display time zone of the axis and crosshair labels. */
  setTimeZone(timeZone: string): void {
    this.timeZone = timeZone;
    this.chart.applyOptions(this.chartOptions());
  }

  /** Raises the price axis' precision to what these candles' prices need (it never lowers within a series). */
  private fitPrecision(candles: readonly CandlestickData<UTCTimestamp>[]): void {
    const decimals = exactDecimals(candles.flatMap((c) => [c.open, c.high, c.low, c.close]), 10);
    if (decimals <= this.priceDecimals) return;
    this.priceDecimals = decimals;
    const priceFormat = { type: "price" as const, precision: decimals, minMove: 10 ** -decimals };
    this.candles.applyOptions({ priceFormat });
    this.indicators.setPriceFormat({ ...priceFormat, precision: Math.max(2, decimals), minMove: 10 ** -Math.max(2, decimals) });
  }

  private append(bars: OhlcvColumns, mode: "replace" | "prepend"): void {
    const n = bars.time.length;
    const oldest = this.candleData[0]?.time ?? Number.POSITIVE_INFINITY;
    const candles: CandlestickData<UTCTimestamp>[] = [];
    const volumes: HistogramData<UTCTimestamp>[] = [];
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const time = toSec(bars.time[i]!);
      if (time <= prev || (mode === "prepend" && time >= oldest)) continue;
      prev = time;
      const open = bars.open[i]!, close = bars.close[i]!;
      candles.push({ time, open, high: bars.high[i]!, low: bars.low[i]!, close });
      volumes.push({ time, value: bars.volume[i]!, color: this.volumeColor(open, close) });
    }
    this.candleData = mode === "replace" ? candles : candles.concat(this.candleData);
    this.volumeData = mode === "replace" ? volumes : volumes.concat(this.volumeData);
  }

  private readonly onRange = (range: LogicalRange | null): void => {
    if (range && range.from < HISTORY_MARGIN && this.candleData.length > 0) this.callbacks.onNeedHistory();
  };

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    const c = param.seriesData.get(this.candles) as CandlestickData<Time> | undefined;
    this.hovering = Boolean(c && param.time !== undefined);
    if (!c || param.time === undefined) {
      this.callbacks.onLegend(this.lastBar());
      return;
    }
    const v = param.seriesData.get(this.volume) as HistogramData<Time> | undefined;
    this.callbacks.onLegend({ time: (c.time as number) * 1000, open: c.open, high: c.high, low: c.low, close: c.close, volume: v?.value ?? 0 });
  };

  /** The newest loaded bar. */
  lastBar(): LegendBar | null {
    const c = this.candleData[this.candleData.length - 1];
    if (!c) return null;
    const v = this.volumeData[this.volumeData.length - 1];
    return { time: c.time * 1000, open: c.open, high: c.high, low: c.low, close: c.close, volume: v?.value ?? 0 };
  }

  private volumeColor(open: number, close: number): string {
    return `${close >= open ? this.colors.up : this.colors.down}80`;
  }

  private candleOptions(): { upColor: string; downColor: string; wickUpColor: string; wickDownColor: string; borderVisible: boolean } {
    const { up, down } = this.colors;
    return { upColor: up, downColor: down, wickUpColor: up, wickDownColor: down, borderVisible: false };
  }

  private chartOptions(): Parameters<IChartApi["applyOptions"]>[0] {
    const { bg, text, grid } = this.colors;
    const tz = this.timeZone;
    return {
      layout: { background: { type: ColorType.Solid, color: bg }, textColor: text, attributionLogo: false, panes: { separatorColor: grid } },
      grid: { vertLines: { color: grid }, horzLines: { color: grid } },
      rightPriceScale: { borderColor: grid },
      timeScale: {
        borderColor: grid,
        timeVisible: true,
        secondsVisible: true,
        rightOffset: 6,
        tickMarkFormatter: (t: Time, type: TickMarkType) => formatTick((t as number) * 1000, TICK_KINDS[type] ?? "time", tz),
      },
      localization: { timeFormatter: (t: Time) => formatDateTime((t as number) * 1000, tz) },
    };
  }
}

/** Index of the first element whose time is ≥ `time`. */
export function lowerBound(data: ReadonlyArray<{ time: number }>, time: number): number {
  let lo = 0, hi = data.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (data[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
