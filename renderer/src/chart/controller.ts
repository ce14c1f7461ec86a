/**
 * The price chart outside React: one lightweight-charts v5 chart with candles and, at the bottom
 * of the same pane, volume as a histogram (see `price-series.ts`), indicator overlays and panes,
 * and backtest markers. React only tells it what to show; live updates and the crosshair legend go
 * straight to the chart, so a busy feed never re-renders components.
 *
 * Every loaded bar is kept in a {@link HistoryWindow}; the series hold only its window of at most
 * `WINDOW.cap` bars (a `setData` re-reads all of a series' data, and lightweight-charts has no
 * prepend), so scrolling back through a million bars costs one bounded `setData` per shift. When
 * the view nears a window edge with more loaded bars beyond it, the window moves and the visible
 * logical range moves by the same offset, so the bars on screen stay put (not during a drag: the
 * library's drag is anchored to the range it started with, so the shift waits for the release).
 * Older pages are asked for through `onNeedHistory` when the window starts at the oldest loaded
 * bar and fewer than `HISTORY_MARGIN` bars are left of the visible range. The candles and the
 * volume are {@link PriceSeries}: the newest (forming) bar sits in series of its own, so a live
 * tick does not make the library rebuild every bar of the window.
 */
import {
  createChart,
  PriceScaleMode,
  type IChartApi,
  type LogicalRange,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { exactDecimals } from "../lib/format.ts";
import { candleOptions, chartOptions, drawingColors, type ChartColors } from "./chart-options.ts";
import { CompareLayer } from "./compare-layer.ts";
import { DrawingLayer } from "./drawing-layer.ts";
import type { ChartDrawing } from "./drawings.ts";
import { HistoryWindow, type WindowChange, type WindowSizes } from "./history-window.ts";
import { MarkerLayer } from "./marker-layer.ts";
import { IndicatorLayer, type IndicatorReading } from "./indicator-layer.ts";
import { PriceSeries, type Candle, type VolumeBar } from "./price-series.ts";
import type { IndicatorConfig, LegendBar, OhlcvColumns, ScaleMode } from "./types.ts";

export type { ChartColors, LegendBar, OhlcvColumns, ScaleMode };


/** Callbacks of {@link ChartController}. */
export interface ChartCallbacks {
  /** The user scrolled close to the oldest loaded bar. */
  onNeedHistory(): void;
  /** The bar under the crosshair (or the last bar when the crosshair leaves); `live` when a feed update changed the last bar. */
  onLegend(bar: LegendBar | null, live?: boolean): void;
  /** The user finished a drawing with the chosen tool. */
  onDrawing?(drawing: ChartDrawing): void;
}

const SCALE_MODES: Record<ScaleMode, PriceScaleMode> = { normal: PriceScaleMode.Normal, log: PriceScaleMode.Logarithmic, percent: PriceScaleMode.Percentage };


/** Bars left of the visible range below which older history is requested. */
export const HISTORY_MARGIN = 50;

/**
 * The series' window. Measured in headless Chromium here (candles + volume `setData` and the next
 * frame, on a 2-core VM at load ~3): 4,000 bars ≈ 15 ms, 6,000 ≈ 32 ms, 8,000 ≈ 59 ms, and two to
 * four times that while the machine is busy (a shift inside a wheel event took 66 ms with 4,000).
 * So 3,000 bars, up to 4,000 as live bars arrive, and a shift when the view is within 750 bars of
 * an edge (a 1,600 px chart shows ~270 bars at the default spacing).
 */
export const WINDOW: WindowSizes = { size: 3000, cap: 4000, edge: 750 };

const toSec = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

/** Bars (newest) whose prices decide the price axis' precision. */
const PRECISION_SAMPLE = 500;

/** Drives one chart. */
export class ChartController {
  private readonly chart: IChartApi;
  private readonly price: PriceSeries;
  private readonly indicators: IndicatorLayer;
  private readonly compare: CompareLayer;
  /** Backtest markers; the series gets those inside its window. */
  private readonly markers: MarkerLayer;
  /** Trend lines, horizontal lines, rectangles and retracements on the price pane. */
  readonly drawings: DrawingLayer;
  private readonly history = new HistoryWindow(WINDOW);
  /** True while a mouse button or touch is down on the chart (window shifts wait for its release). */
  private pressed = false;
  private readonly container: HTMLElement;
  /** Times (UTC s) of the bars in the series (the window). */
  private times: UTCTimestamp[] = [];
  /** True while the controller itself sets data or the range (range events then are its own). */
  private shifting = false;
  private checkQueued = false;
  private disposed = false;
  private colors: ChartColors;
  /** Volume bar colors (the candle colors, half transparent), made once per theme. */
  private volumeUp: string;
  private volumeDown: string;
  private readonly callbacks: ChartCallbacks;
  private timeZone = "UTC";
  private dateOnly = false;
  /** Decimals of the price axis: as many as the series' prices have ({@link exactDecimals}). */
  private priceDecimals = -1;
  /** True while the crosshair is over a bar (the legend then shows that bar, not the live one). */
  private hovering = false;
  /**
   * The price axis' width never shrinks within a series (see {@link holdAxisWidth}): each change of
   * it resizes every pane's canvases, which cost most of a scroll-back's main-thread time.
   */
  private axisWidth = 0;

  /** True while the crosshair is over a bar. */
  get isHovering(): boolean {
    return this.hovering;
  }

  constructor(container: HTMLElement, colors: ChartColors, callbacks: ChartCallbacks) {
    this.colors = colors;
    this.volumeUp = `${colors.up}80`;
    this.volumeDown = `${colors.down}80`;
    this.callbacks = callbacks;
    this.container = container;
    this.chart = createChart(container, { autoSize: true, ...chartOptions(this.colors, this.timeZone, this.dateOnly) });
    this.price = new PriceSeries(this.chart, candleOptions(this.colors));
    this.markers = new MarkerLayer(this.chart, this.price);
    this.indicators = new IndicatorLayer(this.chart);
    this.compare = new CompareLayer(this.chart);
    this.drawings = new DrawingLayer(this.chart, container, this.price.closedCandles, () => this.times, (d) => callbacks.onDrawing?.(d), drawingColors(this.colors));
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRange);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    container.addEventListener("pointerdown", this.onPress, true);
    window.addEventListener("pointerup", this.onRelease, true);
    window.addEventListener("pointercancel", this.onRelease, true);
  }

  /** Removes the chart and its listeners. */
  dispose(): void {
    this.disposed = true;
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRange);
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.container.removeEventListener("pointerdown", this.onPress, true);
    window.removeEventListener("pointerup", this.onRelease, true);
    window.removeEventListener("pointercancel", this.onRelease, true);
    this.drawings.dispose();
    this.chart.remove();
  }

  /** Decimals the prices of this series are shown with (the axis, the legend). */
  get decimals(): number {
    return Math.max(0, this.priceDecimals);
  }

  /** Number of loaded bars. */
  get length(): number {
    return this.history.length;
  }

  /** Time (UTC ms) of the oldest loaded bar, or null. */
  get oldestTime(): number | null {
    return this.history.oldestTime;
  }

  /** Replaces all bars (a new symbol or timeframe) and shows the latest ones. */
  setBars(bars: OhlcvColumns): void {
    this.history.replace(bars);
    this.priceDecimals = -1;
    this.axisWidth = Number.POSITIVE_INFINITY;
    this.chart.applyOptions({ rightPriceScale: { minimumWidth: 0 }, timeScale: { minBarSpacing: 0.5 } });
    const n = this.history.length, from = Math.max(0, n - PRECISION_SAMPLE);
    this.fitPrecision((["open", "high", "low", "close"] as const).flatMap((f) => Array.from(this.history.column(f).subarray(from, n))));
    this.show(null, true);
    this.chart.timeScale().scrollToRealTime();
    // The axis is held again once the chart has drawn the new series (its frame callback, asked
    // for by the calls above, runs before this one); until then its width is the old series'.
    requestAnimationFrame(() => {
      if (this.axisWidth === Number.POSITIVE_INFINITY) this.axisWidth = 0;
    });
    this.callbacks.onLegend(this.lastBar());
  }

  /** Prepends older bars (a page of history); the series changes only if the view is near the window's edge. */
  prependBars(bars: OhlcvColumns): void {
    if (this.history.prepend(bars) === 0) return;
    this.queueWindowCheck();
  }

  /** Adds or replaces the newest bar from the live feed (older bars are ignored; scrolled back, it waits in the history). */
  updateBar(bar: LegendBar): void {
    const time = toSec(bar.time);
    // During a drag the window may not move (the library anchors a drag to its starting range).
    const view = this.pressed ? null : (this.chart.timeScale().getVisibleLogicalRange() ?? undefined);
    const result = this.history.live({ ...bar, time: time * 1000 }, view);
    if (result.kind === "ignored") return;
    this.fitPrecision([bar.open, bar.high, bar.low, bar.close]);
    if (result.kind === "reset") this.show(result.change);
    else {
      if (result.kind === "update") this.pushLive(bar, time, result.isNew);
      this.indicators.onLiveBar(this.history.column("close"), this.history.version, result.isNew, result.kind === "update" ? this.windowTimes() : null);
    }
    if (!this.hovering) this.callbacks.onLegend({ ...bar, time: time * 1000 }, true);
  }

  /** Shows the indicators (overlays on the price pane, RSI/MACD in their own panes). */
  setIndicators(configs: IndicatorConfig[]): void {
    this.indicators.configure(configs, this.history.column("close"), this.history.version, this.history.start, this.windowTimes());
  }

  /** Shows alert levels as dashed lines on the price pane. */
  setAlertLines(lines: readonly { price: number; title: string }[]): void {
    this.price.setPriceLines(lines, this.colors.warn ?? this.colors.text);
  }

  /** The price at a y coordinate (CSS px from the chart's top), or null outside the price pane. */
  priceAt(y: number): number | null {
    const paneHeight = this.chart.panes()[0]?.getHeight() ?? 0;
    if (y < 0 || y > paneHeight) return null;
    const p = this.price.priceAt(y);
    return p === null || !Number.isFinite(p) ? null : p;
  }

  /** Shows backtest markers (sorted by time); the series gets those inside its window. */
  setMarkers(markers: SeriesMarker<Time>[]): void {
    this.markers.set(markers, this.times);
  }

  /** The indicators' values at the bar of `timeMs` (UTC ms); none when no bar is there. */
  indicatorValues(timeMs: number): IndicatorReading[] {
    const i = this.history.indexOf(timeMs);
    return i < this.history.length && this.history.column("time")[i] === timeMs ? this.indicators.valuesAt(i) : [];
  }

  /** Scrolls so that the bar at `timeMs` is centred (moving the window to it first when needed). */
  scrollToTime(timeMs: number, endMs: number | null = null): void {
    const index = this.history.indexOf(toSec(timeMs) * 1000);
    const end = endMs === null ? index : Math.max(index, this.history.indexOf(toSec(endMs) * 1000));
    const range = this.chart.timeScale().getVisibleLogicalRange();
    // A span (a trade's entry to exit) is framed with a margin; a single time keeps the zoom.
    const half = endMs !== null ? Math.max(10, (end - index) * 0.6 + 5) : range ? (range.to - range.from) / 2 : 50;
    const mid = Math.round((index + end) / 2);
    const change = this.history.reveal(mid, half);
    if (change) this.show(change);
    const at = mid - this.history.start;
    this.chart.timeScale().setVisibleLogicalRange({ from: at - half, to: at + half });
  }

  /** Overlays another symbol's bars (same timeframe) as a line; null removes it. */
  setCompare(bars: OhlcvColumns | null, title = ""): void {
    this.compare.set(bars, title, this.times);
  }

  /** Sets the price axis' mode. */
  setScaleMode(mode: ScaleMode): void {
    this.chart.priceScale("right").applyOptions({ mode: SCALE_MODES[mode] });
  }

  /** Shows every loaded bar from the oldest (at most the window's cap); returns how many are shown. */
  fitAll(): number {
    const change = this.history.fromStart();
    if (change) this.show(change);
    const shown = this.history.end - this.history.start;
    this.chart.timeScale().applyOptions({ minBarSpacing: Math.min(0.5, this.chart.timeScale().width() / Math.max(1, shown)) });
    this.chart.timeScale().fitContent();
    return shown;
  }

  /** Applies new theme colors. */
  setColors(colors: ChartColors): void {
    this.colors = colors;
    this.volumeUp = `${colors.up}80`;
    this.volumeDown = `${colors.down}80`;
    this.chart.applyOptions(chartOptions(this.colors, this.timeZone, this.dateOnly));
    this.price.applyCandleOptions(candleOptions(this.colors));
    this.drawings.setColors(drawingColors(this.colors));
    this.show(null);
  }

  /** Sets the display time zone of the axis and crosshair labels; `dateOnly` (daily bars) drops the clock. */
  setTimeZone(timeZone: string, dateOnly = false): void {
    this.timeZone = timeZone;
    this.dateOnly = dateOnly;
    this.chart.applyOptions(chartOptions(this.colors, this.timeZone, this.dateOnly));
  }

  /** Raises the price axis' precision to what these prices need (it never lowers within a series). */
  private fitPrecision(prices: readonly number[]): void {
    const decimals = exactDecimals(prices, 10);
    if (decimals <= this.priceDecimals) return;
    this.priceDecimals = decimals;
    const priceFormat = { type: "price" as const, precision: decimals, minMove: 10 ** -decimals };
    this.price.applyCandleOptions({ priceFormat });
    this.indicators.setPriceFormat({ ...priceFormat, precision: Math.max(2, decimals), minMove: 10 ** -Math.max(2, decimals) });
  }

  /**
   * Gives the series the window's bars (the newest in the forming series when the window ends at
   * the newest bar, see {@link PriceSeries}); after a shift (`change`), moves the visible logical
   * range by its offset so the same bars stay on screen. `newTimes` (a shift, or another series)
   * first empties every series but the closed candles.
   */
  private show(change: WindowChange | null, newTimes = change !== null): void {
    const range = change ? this.chart.timeScale().getVisibleLogicalRange() : null;
    const h = this.history, { start, end } = h;
    const [t, o, hi, lo, c, v] = (["time", "open", "high", "low", "close", "volume"] as const).map((f) => h.column(f));
    const candles: Candle[] = new Array(end - start);
    const volumes: VolumeBar[] = new Array(end - start);
    const times: UTCTimestamp[] = new Array(end - start);
    for (let i = start; i < end; i++) {
      const time = toSec(t![i]!), open = o![i]!, close = c![i]!;
      times[i - start] = time;
      candles[i - start] = { time, open, high: hi![i]!, low: lo![i]!, close };
      volumes[i - start] = { time, value: v![i]!, color: this.volumeColor(open, close) };
    }
    this.times = times;
    this.shifting = true;
    try {
      // The time scale holds the union of all series' times: emptied first, the volume (and the
      // indicators) do not keep the old window's times beside the new one while the candles load.
      if (newTimes) {
        this.price.clearOthers();
        this.indicators.clear();
        this.compare.clear();
      }
      this.price.setData(candles, volumes, h.atLiveEdge);
      this.indicators.draw(h.column("close"), h.version, start, times);
      this.compare.draw(times);
      this.markers.show(this.times);
      if (range && change && change.offset !== 0) this.chart.timeScale().setVisibleLogicalRange({ from: range.from + change.offset, to: range.to + change.offset });
    } finally {
      this.shifting = false;
    }
  }

  /** A live bar into the series (the window includes the newest bar). */
  private pushLive(bar: LegendBar, time: UTCTimestamp, isNew: boolean): void {
    const candle = { time, open: bar.open, high: bar.high, low: bar.low, close: bar.close };
    this.price.live(candle, { time, value: bar.volume, color: this.volumeColor(bar.open, bar.close) }, isNew);
    if (isNew) this.times.push(time);
  }

  /** Times (UTC s) of the bars in the series. */
  private windowTimes(): readonly UTCTimestamp[] {
    return this.times;
  }

  /** Moves the window when the view nears its edge (in a task after the current event, never during a drag); asks for history at the oldest bar. */
  private readonly onRange = (range: LogicalRange | null): void => {
    this.price.followView(range);
    this.markers.followZoom(this.times);
    if (!range || this.shifting || this.history.length === 0) return;
    this.holdAxisWidth();
    if (!this.pressed) this.queueWindowCheck();
    if (this.history.start === 0 && range.from < HISTORY_MARGIN) this.callbacks.onNeedHistory();
  };

  /**
   * Checks the window in a task of its own, after the wheel event, range change or history page
   * that asked: a shift (two `setData` of the window's bars) then never adds to the library's own
   * handling of that event, or to the parsing of the page, in one long task. The view stays
   * inside the window meanwhile (a shift starts `edge` bars before its edge).
   */
  private queueWindowCheck(): void {
    if (this.checkQueued) return;
    this.checkQueued = true;
    setTimeout(this.checkWindow, 0);
  }

  private readonly checkWindow = (): void => {
    this.checkQueued = false;
    if (this.disposed) return;
    const range = this.chart.timeScale().getVisibleLogicalRange();
    const change = range && !this.pressed ? this.history.follow(range) : null;
    if (change) this.show(change);
  };

  /**
   * Keeps the price axis at the widest it has been in this series. Scrolling moves the autoscaled
   * price range, whose labels ("99.50", "100.25") change the axis' width, and each change resized
   * the canvases of every pane (a fresh bitmap per canvas: ~30 % of the main thread's time in a
   * scroll-back through 200k bars).
   */
  private holdAxisWidth(): void {
    const width = this.chart.priceScale("right").width();
    if (width <= this.axisWidth) return;
    this.axisWidth = width;
    this.chart.applyOptions({ rightPriceScale: { minimumWidth: width } });
  }

  private readonly onPress = (): void => {
    this.pressed = true;
  };

  private readonly onRelease = (): void => {
    if (!this.pressed) return;
    this.pressed = false;
    this.checkWindow();
  };

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    const hit = this.price.at(param);
    this.hovering = Boolean(hit && param.time !== undefined);
    if (!hit || param.time === undefined) {
      this.callbacks.onLegend(this.lastBar());
      return;
    }
    const c = hit.candle;
    this.callbacks.onLegend({ time: (c.time as number) * 1000, open: c.open, high: c.high, low: c.low, close: c.close, volume: hit.volume?.value ?? 0 });
  };

  /** The newest loaded bar. */
  lastBar(): LegendBar | null {
    const n = this.history.length;
    return n > 0 ? this.history.bar(n - 1) : null;
  }

  private volumeColor(open: number, close: number): string {
    return close >= open ? this.volumeUp : this.volumeDown;
  }
}
