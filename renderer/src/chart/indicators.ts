/**
 * Indicator values for the chart, computed with the same streaming `ta` library strategies use
 * (common/strategy), so what a trader sees on the chart is exactly what a strategy computes.
 * Pure: closes in, one Float64Array per plotted line out (NaN while the indicator warms up).
 */
import { createTA } from "../../../common/strategy/engine/ta.ts";
import type { IndicatorConfig, IndicatorKind } from "./types.ts";

/** One plotted line or histogram of an indicator. */
export interface IndicatorLine {
  name: string;
  values: Float64Array;
  style: "line" | "histogram";
  /** Index into the indicator palette. */
  color: number;
}

/** An indicator's plot: on the price pane (overlay) or in a pane of its own. */
export interface IndicatorPlot {
  id: number;
  label: string;
  overlay: boolean;
  lines: IndicatorLine[];
}

/** Clamps an editable parameter to a sane integer range. */
export function cleanPeriod(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(1000, Math.max(1, Math.round(value)));
}

/** A period typed in a field: a whole number from 1 to 1000, or null (not yet a valid value). */
export function parsePeriod(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const v = Number(text);
  return v >= 1 && v <= 1000 ? v : null;
}

/** A band width in standard deviations typed in a field: above 0 and at most 10, or null. */
export function parseWidth(text: string): number | null {
  if (text.trim() === "") return null;
  const v = Number(text);
  return Number.isFinite(v) && v > 0 && v <= 10 ? v : null;
}

/** A short label such as "SMA 20" or "MACD 12 26 9". */
export function indicatorLabel(c: IndicatorConfig): string {
  const name = c.kind.toUpperCase();
  if (c.kind === "bbands") return `BB ${c.period} ${c.param2 ?? 2}`;
  if (c.kind === "macd") return `${name} ${c.period} ${c.param2 ?? 26} ${c.param3 ?? 9}`;
  return `${name} ${c.period}`;
}

/** True for kinds drawn over the candles; the others get their own pane. */
export function isOverlay(kind: IndicatorKind): boolean {
  return kind === "sma" || kind === "ema" || kind === "bbands";
}

function single(closes: ArrayLike<number>, make: () => { update(x: number): number }): Float64Array {
  const out = new Float64Array(closes.length);
  const ind = make();
  for (let i = 0; i < closes.length; i++) out[i] = ind.update(closes[i]!);
  return out;
}

function bands(closes: ArrayLike<number>, period: number, mult: number): IndicatorLine[] {
  const n = closes.length;
  const upper = new Float64Array(n), middle = new Float64Array(n), lower = new Float64Array(n);
  const bb = createTA().bbands(period, mult);
  for (let i = 0; i < n; i++) {
    bb.update(closes[i]!);
    upper[i] = bb.upper;
    middle[i] = bb.middle;
    lower[i] = bb.lower;
  }
  return [
    { name: "upper", values: upper, style: "line", color: 2 },
    { name: "middle", values: middle, style: "line", color: 1 },
    { name: "lower", values: lower, style: "line", color: 2 },
  ];
}

function macd(closes: ArrayLike<number>, fast: number, slow: number, signal: number): IndicatorLine[] {
  const n = closes.length;
  const line = new Float64Array(n), sig = new Float64Array(n), hist = new Float64Array(n);
  const m = createTA().macd(fast, slow, signal);
  for (let i = 0; i < n; i++) {
    m.update(closes[i]!);
    line[i] = m.macd;
    sig[i] = m.signal;
    hist[i] = m.histogram;
  }
  return [
    { name: "histogram", values: hist, style: "histogram", color: 3 },
    { name: "macd", values: line, style: "line", color: 0 },
    { name: "signal", values: sig, style: "line", color: 1 },
  ];
}

/** Computes one indicator over the closes. */
export function computeIndicator(c: IndicatorConfig, closes: ArrayLike<number>): IndicatorPlot {
  const period = cleanPeriod(c.period, 14);
  const ta = createTA();
  let lines: IndicatorLine[];
  switch (c.kind) {
    case "sma":
      lines = [{ name: "sma", values: single(closes, () => ta.sma(period)), style: "line", color: 0 }];
      break;
    case "ema":
      lines = [{ name: "ema", values: single(closes, () => ta.ema(period)), style: "line", color: 1 }];
      break;
    case "rsi":
      lines = [{ name: "rsi", values: single(closes, () => ta.rsi(period)), style: "line", color: 4 }];
      break;
    case "bbands":
      lines = bands(closes, period, Math.min(10, Math.max(0.1, c.param2 ?? 2)));
      break;
    case "macd":
      lines = macd(closes, period, cleanPeriod(c.param2, 26), cleanPeriod(c.param3, 9));
      break;
  }
  return { id: c.id, label: indicatorLabel(c), overlay: isOverlay(c.kind), lines };
}
