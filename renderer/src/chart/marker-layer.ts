/**
 * Backtest markers on the price chart: all of a run's markers are kept, the series gets those
 * inside its window of bars, and their labels are thinned for the current zoom (every arrow stays,
 * a label only where it clears the previous one) and thinned again when the zoom changes.
 */
import type { IChartApi, SeriesMarker, Time } from "lightweight-charts";
import { declutterLabels } from "../results/markers.ts";
import type { PriceSeries } from "./price-series.ts";

/** Relative change of the bar spacing after which the labels are laid out again. */
const RELAYOUT = 0.05;

/** The backtest markers of one chart. */
export class MarkerLayer {
  /** All backtest markers (sorted by time). */
  private all: SeriesMarker<Time>[] = [];
  /** The bar spacing the shown markers' labels were laid out for. */
  private spacing = 0;

  private readonly chart: IChartApi;
  private readonly price: PriceSeries;

  /** Markers of `chart`, shown on `price`. */
  constructor(chart: IChartApi, price: PriceSeries) {
    this.chart = chart;
    this.price = price;
  }

  /** Replaces the markers (sorted by time) and shows those inside `times` (the series' bar times, UTC s). */
  set(markers: SeriesMarker<Time>[], times: readonly number[]): void {
    this.all = markers;
    this.show(times);
  }

  /** Shows the markers inside the series' window (a marker at a time the series lacks would be misplaced). */
  show(times: readonly number[]): void {
    const first = times[0], last = times[times.length - 1];
    const inside = first === undefined || last === undefined ? [] : this.all.filter((m) => (m.time as number) >= first && (m.time as number) <= last);
    this.spacing = this.barSpacing();
    this.price.setMarkers(declutterLabels(inside, times, this.spacing));
  }

  /** The view changed: lays the labels out again when the zoom moved noticeably. */
  followZoom(times: readonly number[]): void {
    if (this.all.length > 0 && Math.abs(this.barSpacing() / this.spacing - 1) > RELAYOUT) this.show(times);
  }

  /** Pixels per bar now (the time scale's width over the bars in view). */
  private barSpacing(): number {
    const ts = this.chart.timeScale();
    const range = ts.getVisibleLogicalRange();
    return range && range.to > range.from ? ts.width() / (range.to - range.from) : ts.options().barSpacing;
  }
}
