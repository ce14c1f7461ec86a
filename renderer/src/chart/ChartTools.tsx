/**
 * The chart's tools row: price scale (normal, log, percent), "Fit all" (loads the history to its
 * start and shows it), the drawing tools (trend line, horizontal line, rectangle, Fibonacci
 * retracement; a tool ends with its drawing or a second click on it), undo and clear, and the drawings' note.
 */
import type { DrawingKind } from "../../../common/api/ui-chart.ts";
import { useChart, type ScaleMode } from "../stores/chart.ts";
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
      {note || fitNote ? <span className="muted chart-note" data-testid="chart-note">{note ?? fitNote}</span> : null}
    </div>
  );
}
