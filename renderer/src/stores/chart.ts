/**
 * What the active chart shows: the instrument, the timeframe and the indicator overlays. Shared
 * by the chart, the watchlist (click opens a symbol), the order book and the backtest form; the
 * choice is remembered in localStorage so a reload reopens the same chart.
 */
import { create } from "zustand";
import { TIMEFRAMES, type Timeframe } from "../../../common/market/bars.ts";
import { INDICATOR_DEFAULTS, type IndicatorConfig, type IndicatorKind, type InstrumentRef } from "../chart/types.ts";

export { INDICATOR_DEFAULTS, type IndicatorConfig, type IndicatorKind, type InstrumentRef };

/** The timeframes in switcher order. */
export const TIMEFRAME_LIST = Object.keys(TIMEFRAMES) as Timeframe[];

interface ChartState {
  instrument: InstrumentRef | null;
  timeframe: Timeframe;
  indicators: IndicatorConfig[];
  /** A time (UTC ms) the chart should scroll to, e.g. a clicked backtest trade; cleared once done. */
  focusTime: number | null;
  /** With {@link focusTime}: the end of a span to frame (a trade's exit), else null. */
  focusEnd: number | null;
  open(instrument: InstrumentRef): void;
  setTimeframe(tf: Timeframe): void;
  addIndicator(kind: IndicatorKind): void;
  updateIndicator(id: number, patch: Partial<Omit<IndicatorConfig, "id" | "kind">>): void;
  removeIndicator(id: number): void;
  focus(time: number | null): void;
  /** Opens `instrument` at `timeframe` (unless shown already) and scrolls to `time`, e.g. a backtest trade. */
  showTime(instrument: InstrumentRef, timeframe: Timeframe, time: number, end?: number | null): void;
}

const KEY = "workstation.chart";

interface Saved {
  instrument?: InstrumentRef;
  timeframe?: string;
  indicators?: IndicatorConfig[];
}

function load(): Saved {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Saved;
    return typeof saved === "object" && saved !== null ? saved : {};
  } catch {
    return {};
  }
}

/** True when `tf` names a timeframe. */
export function isTimeframe(tf: unknown): tf is Timeframe {
  return typeof tf === "string" && Object.hasOwn(TIMEFRAMES, tf);
}

const saved = load();
let nextId = Math.max(0, ...(saved.indicators ?? []).map((i) => i.id)) + 1;

/** The chart store. */
export const useChart = create<ChartState>((set) => ({
  instrument: saved.instrument ?? null,
  timeframe: isTimeframe(saved.timeframe) ? saved.timeframe : "1m",
  indicators: Array.isArray(saved.indicators) ? saved.indicators : [],
  focusTime: null,
  focusEnd: null,
  open: (instrument) => set((s) => (sameInstrument(s.instrument, instrument) ? s : { instrument })),
  setTimeframe: (timeframe) => set({ timeframe }),
  addIndicator: (kind) => set((s) => ({ indicators: [...s.indicators, { id: nextId++, kind, ...INDICATOR_DEFAULTS[kind] }] })),
  updateIndicator: (id, patch) => set((s) => ({ indicators: s.indicators.map((i) => (i.id === id ? { ...i, ...patch } : i)) })),
  removeIndicator: (id) => set((s) => ({ indicators: s.indicators.filter((i) => i.id !== id) })),
  focus: (focusTime) => set({ focusTime, focusEnd: null }),
  showTime: (instrument, timeframe, focusTime, focusEnd = null) =>
    set((s) => ({ instrument: sameInstrument(s.instrument, instrument) ? s.instrument : instrument, timeframe, focusTime, focusEnd })),
}));

function sameInstrument(a: InstrumentRef | null, b: InstrumentRef): boolean {
  return a !== null && instrumentKey(a) === instrumentKey(b);
}

useChart.subscribe((s) => {
  localStorage.setItem(KEY, JSON.stringify({ instrument: s.instrument, timeframe: s.timeframe, indicators: s.indicators }));
});

/** A stable key of an instrument, e.g. "simulated:BTC/USD". */
export function instrumentKey(i: InstrumentRef): string {
  return `${i.venue}:${i.symbol}`;
}
