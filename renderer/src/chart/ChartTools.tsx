/**
 * The chart's tools row: price scale (normal, log, percent), "Fit all" (loads the history to its
 * start and shows it), the drawing tools (trend line, horizontal line, rectangle, Fibonacci
 * retracement; a tool ends with its drawing or a second click on it), undo and clear, the compare
 * overlay of a second symbol ("ETH/USD" or "venue:SYMBOL", on the percent scale) and a note.
 */
import type { DrawingKind } from "../../../common/api/ui-chart.ts";
import { useState } from "react";
import { useChart, type ScaleMode } from "../stores/chart.ts";
import { parseCompare } from "./compare.ts";
import { useDrawings, useInstrumentDrawings } from "../stores/drawings.ts";

const SCALES: Array<[ScaleMode, string, string]> = [
  ["normal", "Price", "Prices on the axis"],
  ["log", "Log", "Logarithmic price scale"],
  ["percent", "%", "Percent from the first visible bar"],
];

const TOOLS: Array<[DrawingKind, string, string]> = [
  ["trend", "╱", "Trend line: click two points"],
  ["hline", "─", "Horizontal line: click one point"],
  ["rect", "▭", "Rectangle: click two corners"],
  ["fib", "Fib", "Fibonacci retracement: click the swing's start and end"],
];

/** The compare field, or the compared symbol with a remove button. */
function CompareField(): React.JSX.Element | null {
  const instrument = useChart((s) => s.instrument);
  const compare = useChart((s) => s.compare);
  const [text, setText] = useState("");
  if (!instrument) return null;
  if (compare) {
    return <button type="button" data-testid="compare-remove" title="Remove the compare overlay" onClick={() => useChart.getState().setCompare(null)}>vs {compare.symbol} ×</button>;
  }
  const submit = (e: React.FormEvent): void => {
    e.preventDefault();
    const next = parseCompare(text, instrument.venue);
    if (next) useChart.getState().setCompare(next);
    setText("");
  };
  return (
    <form className="compare-form" onSubmit={submit}>
      <input data-testid="compare-input" aria-label="Compare with symbol" placeholder="Compare… ETH/USD" value={text} onChange={(e) => setText(e.target.value)} />
    </form>
  );
}

/** The tools row; `onFitAll` loads and shows the whole history. */
export function ChartTools({ onFitAll, fitNote }: { onFitAll(): void; fitNote: string | null }): React.JSX.Element {
  const instrument = useChart((s) => s.instrument);
  const scale = useChart((s) => s.scale);
  const { tool, note } = useDrawings();
  const drawings = useInstrumentDrawings(instrument);
  const s = useDrawings.getState();
  return (
    <div className="chart-tools" data-testid="chart-tools">
      <div role="group" aria-label="Price scale" className="tf-switch">
        {SCALES.map(([mode, label, title]) => (
          <button key={mode} type="button" data-testid={`scale-${mode}`} aria-pressed={scale === mode} title={title} onClick={() => useChart.getState().setScale(mode)}>{label}</button>
        ))}
      </div>
      <button type="button" data-testid="fit-all" title="Load the history to its start and show it all" onClick={onFitAll}>Fit all</button>
      <div role="group" aria-label="Drawing tools" className="tf-switch">
        {TOOLS.map(([kind, label, title]) => (
          <button key={kind} type="button" data-testid={`draw-${kind}`} aria-pressed={tool === kind} title={title} disabled={!instrument} onClick={() => s.setTool(tool === kind ? null : kind)}>{label}</button>
        ))}
      </div>
      <button type="button" data-testid="draw-undo" disabled={!instrument || drawings.length === 0} onClick={() => instrument && void s.undo(instrument)} title="Remove the last drawing">Undo</button>
      <button type="button" data-testid="draw-clear" disabled={!instrument || drawings.length === 0} onClick={() => instrument && void s.clear(instrument)} title="Remove every drawing of this symbol">Clear</button>
      <CompareField />
      {note || fitNote ? <span className="muted chart-note" data-testid="chart-note">{note ?? fitNote}</span> : null}
    </div>
  );
}
