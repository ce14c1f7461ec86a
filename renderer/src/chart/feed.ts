/**
 * Feeds one chart: the newest page of candles from the store when a symbol or timeframe is
 * opened, older pages as the user scrolls back (one request at a time), and live bars from
 * core on the shared live tick (`LIVE_TICK_MS` in `lib/frame.ts`: 20 redraws a second look
 * continuous), staggered with the other charts' so that few charts redraw per frame (with four
 * charts open, each chart every other tick: `setOpenCharts`). Answers for a symbol that is no
 * longer shown are dropped (a generation counter).
 */
import type { Timeframe } from "../../../common/market/bars.ts";
import { api } from "../stores/connection.ts";
import { instrumentKey, type InstrumentRef } from "../stores/chart.ts";
import { Batch, liveChartScheduler } from "../lib/frame.ts";
import { latestPerBar } from "./bar-builder.ts";
import type { ChartController, LegendBar, OhlcvColumns } from "./controller.ts";
import { subscribeLiveBars, venueCandles } from "./live.ts";

/** Bars in the first page (enough to fill a wide screen several times). */
export const FIRST_PAGE = 2000;
/** Bars per page of older history. */
export const OLDER_PAGE = 5000;
/** What the chart panel shows about its data. */
export type FeedStatus =
  | { kind: "idle" }
  | { kind: "loading" }
  | { kind: "ready"; bars: number; more: boolean; source: string }
  | { kind: "empty"; reason: string | null }
  | { kind: "error"; message: string };

/** Loads and pages one chart's bars. */
export class ChartFeed {
  private readonly ctrl: ChartController;
  private readonly onStatus: (s: FeedStatus) => void;
  private generation = 0;
  private instrument: InstrumentRef | null = null;
  private timeframe: Timeframe = "1m";
  private more = false;
  /** The page of older history being loaded, if any (a second ask waits for it). */
  private olderLoad: Promise<void> | null = null;
  private source = "";
  private stopLive: (() => void) | null = null;
  private reported = 0;
  /** Why the venue's recent candles could not be read, when they were asked for and failed. */
  private historyError: string | null = null;
  /** The generation whose first page is on the chart. */
  private shown = -1;

  constructor(ctrl: ChartController, onStatus: (s: FeedStatus) => void) {
    this.ctrl = ctrl;
    this.onStatus = onStatus;
  }

  /** Shows a symbol at a timeframe (or nothing). */
  async open(instrument: InstrumentRef | null, timeframe: Timeframe): Promise<void> {
    const gen = ++this.generation;
    this.stopLive?.();
    this.stopLive = null;
    this.instrument = instrument;
    this.timeframe = timeframe;
    this.more = false;
    this.olderLoad = null;
    if (!instrument) return this.onStatus({ kind: "idle" });
    this.onStatus({ kind: "loading" });
    let first: FirstPage;
    try {
      first = await firstPage(instrument, timeframe);
    } catch (err) {
      if (gen !== this.generation) return;
      this.ctrl.setBars(NO_BARS);
      return this.onStatus({ kind: "error", message: err instanceof Error ? err.message : String(err) });
    }
    if (gen !== this.generation) return;
    this.more = first.more;
    this.source = first.source;
    this.historyError = first.historyError;
    this.ctrl.setBars(first.bars);
    this.shown = gen;
    const frames = new Batch<LegendBar>((bars) => {
      if (gen !== this.generation) return;
      for (const bar of latestPerBar(bars)) this.ctrl.updateBar(bar);
      if (this.ctrl.length !== this.reported) this.report();
    }, 1000, liveChartScheduler());
    this.stopLive = subscribeLiveBars(instrument, timeframe, this.ctrl.lastBar(), (bar) => frames.push(bar));
    this.report();
  }

  /**
   * Loads the page before the oldest loaded bar unless none is left; while a page is loading,
   * returns that load (so a caller waiting for older bars waits for the page really coming).
   */
  loadOlder(): Promise<void> {
    if (this.olderLoad) return this.olderLoad;
    const oldest = this.ctrl.oldestTime;
    if (!this.instrument || !this.more || oldest === null) return Promise.resolve();
    const load = this.fetchOlder(this.instrument, oldest, this.generation).finally(() => {
      if (this.olderLoad === load) this.olderLoad = null;
    });
    this.olderLoad = load;
    return load;
  }

  /** Fetches the page before `oldest` and prepends it, unless another series was opened meanwhile. */
  private async fetchOlder(instrument: InstrumentRef, oldest: number, gen: number): Promise<void> {
    try {
      const page = await api.call("store.candles", { symbol: instrument.symbol, venue: instrument.venue, timeframe: this.timeframe, to: oldest, limit: OLDER_PAGE });
      if (gen !== this.generation) return;
      this.more = page.more && page.time.length > 0;
      this.ctrl.prependBars(page);
      this.report();
    } catch {
      if (gen === this.generation) this.more = false;
    }
  }

  /** True once the first page of `instrument` at `timeframe` is on the chart. */
  isShowing(instrument: InstrumentRef | null, timeframe: Timeframe): boolean {
    return this.shown === this.generation && instrument !== null && this.instrument !== null && instrumentKey(instrument) === instrumentKey(this.instrument) && timeframe === this.timeframe;
  }

  /**
   * Loads older pages until the bar at `time` (UTC ms) is loaded or the history ends; false when
   * another symbol or timeframe was opened meanwhile.
   */
  async reveal(time: number): Promise<boolean> {
    const gen = this.generation;
    for (;;) {
      const oldest = this.ctrl.oldestTime;
      if (gen !== this.generation) return false;
      if (oldest === null || oldest <= time || !this.more) return true;
      const before = this.ctrl.length;
      await this.loadOlder();
      if (this.ctrl.length === before) return gen === this.generation;
    }
  }

  /** Stops live updates. */
  dispose(): void {
    this.generation++;
    this.stopLive?.();
  }

  private report(): void {
    const bars = this.ctrl.length;
    this.reported = bars;
    this.onStatus(bars === 0 ? { kind: "empty", reason: this.historyError } : { kind: "ready", bars, more: this.more, source: this.source });
  }
}

/** The first page of a chart and where it came from. */
interface FirstPage {
  bars: OhlcvColumns;
  more: boolean;
  source: string;
  historyError: string | null;
}

const NO_BARS: OhlcvColumns = { time: [], open: [], high: [], low: [], close: [], volume: [] };

/** The newest page from the store; recent venue candles when the store has none. */
export async function firstPage(instrument: InstrumentRef, timeframe: Timeframe): Promise<FirstPage> {
  try {
    const page = await api.call("store.candles", { symbol: instrument.symbol, venue: instrument.venue, timeframe, limit: FIRST_PAGE });
    if (page.time.length > 0) return { bars: page, more: page.more, source: page.source, historyError: null };
  } catch (err) {
    if (!isNoData(err)) throw err;
  }
  try {
    const venue = await venueCandles(instrument, timeframe);
    if (venue) return { bars: venue, more: false, source: "venue", historyError: null };
  } catch (err) {
    // No venue history either: the chart fills from live trades, and says why it starts empty.
    return { bars: NO_BARS, more: false, source: "live", historyError: err instanceof Error ? err.message : String(err) };
  }
  return { bars: NO_BARS, more: false, source: "live", historyError: null };
}

function isNoData(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "not_found";
}
