/**
 * The chart's options from the theme's colors, the display time zone and whether bars are daily:
 * layout, grid, axes and their time labels, the candles' colors and the drawings' colors.
 */
import { ColorType, type IChartApi, type TickMarkType, type Time } from "lightweight-charts";
import { formatDateTime, formatTick, type TickKind } from "../lib/time.ts";
import type { DrawingColors } from "./drawing-layer.ts";

/** Colors of the chart, read from the theme's CSS variables. */
export interface ChartColors {
  bg: string;
  text: string;
  grid: string;
  up: string;
  down: string;
  /** Alert lines; the text color when absent. */
  warn?: string;
}

/** Time-axis label kinds by lightweight-charts' `TickMarkType` (Year, Month, DayOfMonth, Time, TimeWithSeconds). */
const TICK_KINDS: readonly TickKind[] = ["year", "month", "day", "time", "seconds"];
const DRAWING_LINE = "#f0b429";

/** The candles' colors. */
export function candleOptions(colors: ChartColors): { upColor: string; downColor: string; wickUpColor: string; wickDownColor: string; borderVisible: boolean } {
  const { up, down } = colors;
  return { upColor: up, downColor: down, wickUpColor: up, wickDownColor: down, borderVisible: false };
}

/** The drawings' colors: one line color on both themes, a faint fill, the theme's text. */
export function drawingColors(colors: ChartColors): DrawingColors {
  return { line: DRAWING_LINE, fill: `${DRAWING_LINE}1f`, text: colors.text };
}

/** The chart's options; `dateOnly` (daily bars) drops the clock from the crosshair's time. */
export function chartOptions(colors: ChartColors, timeZone: string, dateOnly: boolean): Parameters<IChartApi["applyOptions"]>[0] {
  const { bg, text, grid } = colors;
  return {
    layout: { background: { type: ColorType.Solid, color: bg }, textColor: text, attributionLogo: false, panes: { separatorColor: grid } },
    grid: { vertLines: { color: grid }, horzLines: { color: grid } },
    rightPriceScale: { borderColor: grid },
    timeScale: {
      borderColor: grid,
      timeVisible: true,
      secondsVisible: true,
      rightOffset: 6,
      tickMarkFormatter: (t: Time, type: TickMarkType) => formatTick((t as number) * 1000, TICK_KINDS[type] ?? "time", timeZone),
    },
    localization: { timeFormatter: (t: Time) => formatDateTime((t as number) * 1000, timeZone).slice(0, dateOnly ? 10 : undefined) },
  };
}
