/**
 * The chart's candles and volume, both on the price pane, each split in two series: every
 * bar of the window but the newest in a "closed" series, and the newest — the bar the live feed
 * keeps changing — alone in a "forming" series drawn with the same options on the same scale.
 *
 * Why: lightweight-charts rebuilds a series' whole item list on every `update` (a fresh object
 * per bar, ~300 bytes with its colours, for the candles and the volume alike). With the forming
 * bar inside the window's series, 20 live updates a second re-made every bar of the window 20
 * times a second: ~14 MB/s of garbage (heap sampling, 30 s) under the 10k msgs/s feed, frequent
 * scavenges that promoted those short-lived lists, a major collection every ~7 s, and its pause
 * (up to 32 ms) was inside most of the longest main-thread tasks. A live tick now rebuilds two
 * one-item series; the closed series change once per bar period, when the forming bar closes
 * and moves into them.
 *
 * Only one series shows the last value on the price axis (and its price line): the forming one
 * while it has a bar in view, else the closed one (its last bar in view: the library labels a
 * series' last bar inside the visible range). Backtest markers go to the series that has their
 * bar: a marker at the forming bar's time on the closed series would be drawn on the bar before.
 *
 * The volume is an overlay on the price pane, as TradingView draws it: a price scale of its own
 * (no axis) fills the pane's bottom {@link VOLUME_SHARE}, and the candles' scale leaves that strip
 * mostly free. A pane of its own cost the chart four more canvases (the pane's two and its axis'
 * two), each repainted on every live update and each a bitmap the compositor copies — on a
 * software compositor, on the main thread.
 */
import {
  CandlestickSeries,
  HistogramSeries,
  LineStyle,
  createSeriesMarkers,
  type CandlestickData,
  type CandlestickSeriesPartialOptions,
  type HistogramData,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";

/** One candle as the series take it. */
export type Candle = CandlestickData<UTCTimestamp>;
/** One volume bar as the histogram takes it. */
export type VolumeBar = HistogramData<UTCTimestamp>;

/** The share of the price pane's height the volume bars may fill, at its bottom. */
export const VOLUME_SHARE = 0.2;
/** The volume's overlay price scale. */
export const VOLUME_SCALE = "volume";

/** Attaches a markers plugin to a candle series. */
export type MarkersFactory = (series: ISeriesApi<"Candlestick">, markers: SeriesMarker<Time>[]) => ISeriesMarkersPluginApi<Time>;

/** The candles and the volume, closed bars and the forming bar apart. */
export class PriceSeries {
  /** The window's bars but the forming one. */
  private readonly candles: ISeriesApi<"Candlestick">;
  private readonly volume: ISeriesApi<"Histogram">;
  private readonly formingCandle: ISeriesApi<"Candlestick">;
  private readonly formingVolume: ISeriesApi<"Histogram">;
  private readonly makeMarkers: MarkersFactory;
  /** The markers plugins, made with the first marker: an attached plugin copies its series' whole data on every change. */
  private plugins: { closed: ISeriesMarkersPluginApi<Time>; forming: ISeriesMarkersPluginApi<Time> } | null = null;
  /** The bar in the forming series, or null when it is empty. */
  private forming: { candle: Candle; volume: VolumeBar } | null = null;
  /** Bars in the closed series (the forming bar's logical index). */
  private closedCount = 0;
  /** Right edge of the visible logical range (the newest bar is assumed in view until told). */
  private viewTo = Number.POSITIVE_INFINITY;
  /** Whether the closed series currently shows the last value on the axis. */
  private closedShowsLast = true;
  private markers: readonly SeriesMarker<Time>[] = [];
  /** Horizontal lines on the price pane (alert levels). */
  private lines: IPriceLine[] = [];

  /** `makeMarkers` attaches a markers plugin to a series (the library's; a fake in tests). */
  constructor(chart: IChartApi, candleOptions: CandlestickSeriesPartialOptions, makeMarkers: MarkersFactory = createSeriesMarkers) {
    const volumeOptions = { priceFormat: { type: "volume" as const }, priceScaleId: VOLUME_SCALE, priceLineVisible: false, lastValueVisible: false };
    this.volume = chart.addSeries(HistogramSeries, volumeOptions, 0);
    this.formingVolume = chart.addSeries(HistogramSeries, volumeOptions, 0);
    this.candles = chart.addSeries(CandlestickSeries, candleOptions, 0);
    this.formingCandle = chart.addSeries(CandlestickSeries, candleOptions, 0);
    chart.priceScale(VOLUME_SCALE).applyOptions({ scaleMargins: { top: 1 - VOLUME_SHARE, bottom: 0 } });
    chart.priceScale("right").applyOptions({ scaleMargins: { top: 0.1, bottom: VOLUME_SHARE * 0.75 } });
    this.makeMarkers = makeMarkers;
  }

  /** The closed candles' series: the price pane's scale, for primitives such as the drawings. */
  get closedCandles(): ISeriesApi<"Candlestick"> {
    return this.candles;
  }

  /** Replaces the horizontal lines on the price pane (alert levels), dashed in `color`. */
  setPriceLines(lines: readonly { price: number; title: string }[], color: string): void {
    for (const line of this.lines) this.candles.removePriceLine(line);
    this.lines = lines.map((l) => this.candles.createPriceLine({ price: l.price, title: l.title, color, lineStyle: LineStyle.Dashed, lineWidth: 1, axisLabelVisible: true }));
  }

  /** The price at a y coordinate of the price pane, or null off the scale. */
  priceAt(y: number): number | null {
    return this.candles.coordinateToPrice(y) ?? this.formingCandle.coordinateToPrice(y);
  }

  /** Backtest markers inside the window (sorted by time). */
  setMarkers(markers: readonly SeriesMarker<Time>[]): void {
    this.markers = markers;
    this.placeMarkers();
  }

  /** The visible logical range changed: the axis label goes to the series whose last bar is in view. */
  followView(range: { from: number; to: number } | null): void {
    this.viewTo = range ? range.to : Number.POSITIVE_INFINITY;
    this.placeLastValue();
  }

  /** Applies candle options (colours, price format) to both candle series. */
  applyCandleOptions(options: CandlestickSeriesPartialOptions): void {
    this.candles.applyOptions(options);
    this.formingCandle.applyOptions(options);
  }

  /**
   * Empties every series but the closed candles: before a window of other times is set, as the
   * time scale holds the union of all series' times.
   */
  clearOthers(): void {
    this.volume.setData([]);
    this.setForming(null);
  }

  /** Shows a window's bars; with `formingLast` (the window ends at the newest bar) its last bar goes to the forming series. */
  setData(candles: Candle[], volumes: VolumeBar[], formingLast: boolean): void {
    const last = candles.length - 1;
    const split = formingLast && last >= 0;
    this.closedCount = split ? last : candles.length;
    this.candles.setData(split ? candles.slice(0, last) : candles);
    this.volume.setData(split ? volumes.slice(0, last) : volumes);
    this.setForming(split ? { candle: candles[last]!, volume: volumes[last]! } : null);
  }

  /** A live bar at the newest edge: replaces the forming bar, or (`isNew`) closes it into the closed series and starts the next. */
  live(candle: Candle, volume: VolumeBar, isNew: boolean): void {
    if (!isNew && this.forming) {
      this.forming = { candle, volume };
      this.formingCandle.update(candle);
      this.formingVolume.update(volume);
      return;
    }
    if (this.forming) {
      this.candles.update(this.forming.candle);
      this.volume.update(this.forming.volume);
      this.closedCount++;
    }
    this.setForming({ candle, volume });
  }

  /** The candle and volume under the crosshair, from whichever series has that bar. */
  at(param: MouseEventParams<Time>): { candle: CandlestickData<Time>; volume: HistogramData<Time> | undefined } | undefined {
    const data = param.seriesData;
    const candle = (data.get(this.candles) ?? data.get(this.formingCandle)) as CandlestickData<Time> | undefined;
    if (!candle) return undefined;
    return { candle, volume: (data.get(this.volume) ?? data.get(this.formingVolume)) as HistogramData<Time> | undefined };
  }

  private setForming(bar: { candle: Candle; volume: VolumeBar } | null): void {
    this.forming = bar;
    this.formingCandle.setData(bar ? [bar.candle] : []);
    this.formingVolume.setData(bar ? [bar.volume] : []);
    this.placeLastValue();
    this.placeMarkers();
  }

  /** The closed series labels the last value unless the forming bar is in view (the library's strict range ends at `ceil(to)`). */
  private placeLastValue(): void {
    const closedShowsLast = this.forming === null || this.closedCount > Math.ceil(this.viewTo);
    if (closedShowsLast === this.closedShowsLast) return;
    this.closedShowsLast = closedShowsLast;
    this.candles.applyOptions({ lastValueVisible: closedShowsLast, priceLineVisible: closedShowsLast });
    this.formingCandle.applyOptions({ lastValueVisible: !closedShowsLast, priceLineVisible: !closedShowsLast });
  }

  private placeMarkers(): void {
    if (!this.plugins && this.markers.length === 0) return;
    this.plugins ??= { closed: this.makeMarkers(this.candles, []), forming: this.makeMarkers(this.formingCandle, []) };
    const at = this.forming?.candle.time;
    const onForming = (m: SeriesMarker<Time>): boolean => at !== undefined && (m.time as number) >= at;
    this.plugins.closed.setMarkers(this.markers.filter((m) => !onForming(m)));
    this.plugins.forming.setMarkers(this.markers.filter(onForming));
  }
}
