/** Plain data types of the chart, free of DOM and library imports (shared by pure modules and tests). */
import type { LiveBar } from "../../../common/api/store.ts";

/** An instrument on a venue (feed), e.g. `{ venue: "simulated", symbol: "BTC/USD" }`. */
export interface InstrumentRef {
  venue: string;
  symbol: string;
}

/** One bar (times in UTC ms, the bar's open time): the API's live bar. */
export type LegendBar = LiveBar;

/** Bars in columns, oldest first (times in UTC ms): store pages and typed-array bars both fit. */
export interface OhlcvColumns {
  time: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
}

/** The indicator kinds the chart draws (the strategy `ta` library computes them). */
export type IndicatorKind = "sma" | "ema" | "bbands" | "rsi" | "macd";

/** One indicator on the chart with its editable parameters. */
export interface IndicatorConfig {
  id: number;
  kind: IndicatorKind;
  /** Period (sma/ema/bbands/rsi) or fast period (macd). */
  period: number;
  /** bbands: width in standard deviations; macd: slow period. */
  param2?: number;
  /** macd: signal period. */
  param3?: number;
}

/** Default parameters per indicator kind. */
export const INDICATOR_DEFAULTS: Record<IndicatorKind, Omit<IndicatorConfig, "id" | "kind">> = {
  sma: { period: 20 },
  ema: { period: 50 },
  bbands: { period: 20, param2: 2 },
  rsi: { period: 14 },
  macd: { period: 12, param2: 26, param3: 9 },
};

/** The price axis' modes: prices, logarithmic, percent from the first visible bar. */
export type ScaleMode = "normal" | "log" | "percent";
