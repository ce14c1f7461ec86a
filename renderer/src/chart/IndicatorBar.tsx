/** Indicator chips above the chart: add SMA/EMA/Bollinger/RSI/MACD, edit their parameters, remove them. */
import { INDICATOR_DEFAULTS, useChart, type IndicatorConfig, type IndicatorKind } from "../stores/chart.ts";
import { cleanPeriod, indicatorLabel } from "./indicators.ts";

const KINDS = Object.keys(INDICATOR_DEFAULTS) as IndicatorKind[];
const NAMES: Record<IndicatorKind, string> = { sma: "SMA", ema: "EMA", bbands: "Bollinger", rsi: "RSI", macd: "MACD" };

function NumberField({ label, value, onChange }: { label: string; value: number; onChange(v: number): void }): React.JSX.Element {
  return (
    <label className="chip-field">
      {label}
      <input type="number" value={value} min={1} max={1000} onChange={(e) => onChange(Number(e.target.value))} />
    </label>
  );
}

function Chip({ c }: { c: IndicatorConfig }): React.JSX.Element {
  const { updateIndicator, removeIndicator } = useChart.getState();
  return (
    <details className="chip" data-testid={`indicator-${c.kind}`}>
      <summary>{indicatorLabel(c)}</summary>
      <div className="chip-menu">
        <NumberField label={c.kind === "macd" ? "fast" : "period"} value={c.period} onChange={(v) => updateIndicator(c.id, { period: cleanPeriod(v, c.period) })} />
        {c.kind === "bbands" ? <NumberField label="σ" value={c.param2 ?? 2} onChange={(v) => updateIndicator(c.id, { param2: v })} /> : null}
        {c.kind === "macd" ? <NumberField label="slow" value={c.param2 ?? 26} onChange={(v) => updateIndicator(c.id, { param2: cleanPeriod(v, 26) })} /> : null}
        {c.kind === "macd" ? <NumberField label="signal" value={c.param3 ?? 9} onChange={(v) => updateIndicator(c.id, { param3: cleanPeriod(v, 9) })} /> : null}
        <button type="button" onClick={() => removeIndicator(c.id)}>Remove</button>
      </div>
    </details>
  );
}

/** The indicator bar. */
export function IndicatorBar(): React.JSX.Element {
  const indicators = useChart((s) => s.indicators);
  const add = useChart((s) => s.addIndicator);
  return (
    <div className="indicator-bar">
      {indicators.map((c) => <Chip key={c.id} c={c} />)}
      <select aria-label="Add indicator" data-testid="add-indicator" value="" onChange={(e) => e.target.value && add(e.target.value as IndicatorKind)}>
        <option value="">+ Indicator</option>
        {KINDS.map((k) => <option key={k} value={k}>{NAMES[k]}</option>)}
      </select>
    </div>
  );
}
