/** The crosshair legend: OHLCV and the indicators' values of the bar under the cursor (the last bar otherwise). */
import { formatCompact, formatPrice, priceDecimals } from "../lib/format.ts";
import { formatDateTime } from "../lib/time.ts";
import type { LegendBar } from "./controller.ts";
import type { IndicatorReading } from "./indicator-layer.ts";

/** Props of {@link Legend}. */
export interface LegendProps {
  title: string;
  bar: LegendBar | null;
  /** Decimals of the chart's prices (its price axis); from the bar's magnitude when unknown. */
  decimals: number | null;
  timeZone: string;
  /** Daily bars: the date without a clock. */
  dateOnly?: boolean;
  /** The indicators' values at the bar. */
  readings?: readonly IndicatorReading[];
  /** The legend's test id ("chart-legend" for the main chart). */
  testId?: string;
}

/** One indicator's values, "—" while it warms up. */
function Reading({ reading, decimals }: { reading: IndicatorReading; decimals: number }): React.JSX.Element {
  const text = reading.values.map((v) => (Number.isNaN(v.value) ? "—" : formatPrice(v.value, decimals))).join(" ");
  return <span data-testid="legend-indicator" data-label={reading.label}>{reading.label} <b>{text}</b></span>;
}

/** The legend. */
export function Legend({ title, bar, decimals, timeZone, dateOnly = false, readings = [], testId = "chart-legend" }: LegendProps): React.JSX.Element {
  if (!bar) return <div className="legend" data-testid={testId}><strong>{title}</strong></div>;
  const d = decimals ?? priceDecimals(bar.close);
  const change = bar.open === 0 ? 0 : (bar.close - bar.open) / bar.open;
  const cls = bar.close >= bar.open ? "up" : "down";
  return (
    <div className="legend" data-testid={testId}>
      <strong>{title}</strong>
      <span className="muted">{formatDateTime(bar.time, timeZone).slice(0, dateOnly ? 10 : undefined)}</span>
      <span>O <b className={cls}>{formatPrice(bar.open, d)}</b></span>
      <span>H <b className={cls}>{formatPrice(bar.high, d)}</b></span>
      <span>L <b className={cls}>{formatPrice(bar.low, d)}</b></span>
      <span>C <b className={cls} data-testid="legend-close">{formatPrice(bar.close, d)}</b></span>
      <span className={cls}>{`${change >= 0 ? "+" : ""}${(change * 100).toFixed(2)}%`}</span>
      <span title="Volume">Vol <b>{formatCompact(bar.volume)}</b></span>
      {readings.map((r) => <Reading key={r.id} reading={r} decimals={Math.max(2, d)} />)}
    </div>
  );
}
