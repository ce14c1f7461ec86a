/** The crosshair legend: OHLCV of the bar under the cursor (the last bar otherwise). */
import { formatCompact, formatPrice, priceDecimals } from "../lib/format.ts";
import { formatDateTime } from "../lib/time.ts";
import type { LegendBar } from "./controller.ts";

/** Props of {@link Legend}. */
export interface LegendProps {
  title: string;
  bar: LegendBar | null;
  /** Decimals of the chart's prices (its price axis); from the bar's magnitude when unknown. */
  decimals: number | null;
  timeZone: string;
  /** Daily bars: the date without a clock. */
  dateOnly?: boolean;
}

/** The legend. */
export function Legend({ title, bar, decimals, timeZone, dateOnly = false }: LegendProps): React.JSX.Element {
  if (!bar) return <div className="legend" data-testid="chart-legend"><strong>{title}</strong></div>;
  const d = decimals ?? priceDecimals(bar.close);
  const change = bar.open === 0 ? 0 : (bar.close - bar.open) / bar.open;
  const cls = bar.close >= bar.open ? "up" : "down";
  return (
    <div className="legend" data-testid="chart-legend">
      <strong>{title}</strong>
      <span className="muted">{formatDateTime(bar.time, timeZone).slice(0, dateOnly ? 10 : undefined)}</span>
      <span>O <b className={cls}>{formatPrice(bar.open, d)}</b></span>
      <span>H <b className={cls}>{formatPrice(bar.high, d)}</b></span>
      <span>L <b className={cls}>{formatPrice(bar.low, d)}</b></span>
      <span>C <b className={cls} data-testid="legend-close">{formatPrice(bar.close, d)}</b></span>
      <span className={cls}>{`${change >= 0 ? "+" : ""}${(change * 100).toFixed(2)}%`}</span>
      <span>V <b>{formatCompact(bar.volume)}</b></span>
    </div>
  );
}
