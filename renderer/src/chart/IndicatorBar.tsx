/** Indicator chips above the chart: add SMA/EMA/Bollinger/RSI/MACD, edit their parameters, add an alert on one, remove them. */
import { INDICATOR_DEFAULTS, useChart, type IndicatorConfig, type IndicatorKind } from "../stores/chart.ts";
import { useEffect, useState } from "react";
import { IndicatorAlert } from "../alerts/IndicatorAlert.tsx";
import { indicatorLabel, parsePeriod, parseWidth } from "./indicators.ts";

const KINDS = Object.keys(INDICATOR_DEFAULTS) as IndicatorKind[];
const NAMES: Record<IndicatorKind, string> = { sma: "SMA", ema: "EMA", bbands: "Bollinger", rsi: "RSI", macd: "MACD" };

/**
 * A parameter field that keeps what is typed and applies it only once it is a valid value
 * (`parse` returns null otherwise): clearing the field to type another number does not redraw the
 * indicator with a period of 1 in between. Leaving the field shows the applied value again.
 */
function NumberField({ label, value, parse, step = 1, onChange }: { label: string; value: number; parse(text: string): number | null; step?: number; onChange(v: number): void }): React.JSX.Element {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return (
    <label className="chip-field">
      {label}
      <input
        type="number"
        value={text}
        min={step}
        max={1000}
        step={step}
        aria-invalid={parse(text) === null}
        onChange={(e) => {
          setText(e.target.value);
          const v = parse(e.target.value);
          if (v !== null && v !== value) onChange(v);
        }}
        onBlur={() => setText(String(value))}
      />
    </label>
  );
}

function Chip({ c }: { c: IndicatorConfig }): React.JSX.Element {
  const { updateIndicator, removeIndicator } = useChart.getState();
  return (
    <details className="chip" data-testid={`indicator-${c.kind}`}>
      <summary>{indicatorLabel(c)}</summary>
      <div className="chip-menu">
        <NumberField label={c.kind === "macd" ? "fast" : "period"} value={c.period} parse={parsePeriod} onChange={(v) => updateIndicator(c.id, { period: v })} />
        {c.kind === "bbands" ? <NumberField label="σ" value={c.param2 ?? 2} parse={parseWidth} step={0.1} onChange={(v) => updateIndicator(c.id, { param2: v })} /> : null}
        {c.kind === "macd" ? <NumberField label="slow" value={c.param2 ?? 26} parse={parsePeriod} onChange={(v) => updateIndicator(c.id, { param2: v })} /> : null}
        {c.kind === "macd" ? <NumberField label="signal" value={c.param3 ?? 9} parse={parsePeriod} onChange={(v) => updateIndicator(c.id, { param3: v })} /> : null}
        <IndicatorAlert config={c} />
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
