/**
 * The chart area: the main chart alone or in a grid of 2 or 4 (side by side, 2×2), with symbol
 * and timeframe linking, and the named layouts (save the workspace under a name, restore one;
 * the notes of a restore say what could not be restored).
 */
import { useEffect, useState } from "react";
import { useLayouts } from "../app/layout-store.ts";
import { setOpenCharts } from "../lib/frame.ts";
import { useChart } from "../stores/chart.ts";
import { useGrid, withLink, type GridCount } from "../stores/grid.ts";
import { ChartPanel } from "./ChartPanel.tsx";
import { MiniChart } from "./MiniChart.tsx";

const COUNTS: GridCount[] = [1, 2, 4];

function LayoutsMenu(): React.JSX.Element {
  const { saved, notes, refresh, save, restore } = useLayouts();
  const [name, setName] = useState("");
  useEffect(() => void refresh(), [refresh]);
  return (
    <>
      <form className="layout-save" onSubmit={(e) => { e.preventDefault(); if (name.trim()) void save(name.trim()).then(() => setName("")); }}>
        <input data-testid="layout-name" aria-label="Layout name" placeholder="Layout name" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" data-testid="layout-save" disabled={!name.trim()}>Save layout</button>
      </form>
      <select aria-label="Restore layout" data-testid="layout-restore" value="" onChange={(e) => e.target.value && void restore(e.target.value)}>
        <option value="">Layouts…</option>
        {saved.map((l) => <option key={l.name} value={l.name}>{l.name}</option>)}
      </select>
      {notes.length > 0 ? <span className="muted layout-notes" data-testid="layout-notes" title={notes.join("\n")}>{notes.join(" ")}</span> : null}
    </>
  );
}

/** The grid's controls: how many charts, linking, layouts. */
function GridBar(): React.JSX.Element {
  const { count, linkSymbol, linkTimeframe, set } = useGrid();
  const link = (which: "linkSymbol" | "linkTimeframe", on: boolean): void => {
    const { instrument, timeframe } = useChart.getState();
    set(withLink(useGrid.getState(), which, on, { instrument, timeframe }));
  };
  return (
    <div className="grid-bar" data-testid="grid-bar">
      <div role="group" aria-label="Charts" className="tf-switch">
        {COUNTS.map((n) => <button key={n} type="button" data-testid={`grid-${n}`} aria-pressed={count === n} onClick={() => set({ count: n })}>{n}</button>)}
      </div>
      <label><input type="checkbox" data-testid="link-symbol" checked={linkSymbol} onChange={(e) => link("linkSymbol", e.target.checked)} /> link symbol</label>
      <label><input type="checkbox" data-testid="link-timeframe" checked={linkTimeframe} onChange={(e) => link("linkTimeframe", e.target.checked)} /> link timeframe</label>
      <LayoutsMenu />
    </div>
  );
}

/** The chart area. */
export function ChartGrid(): React.JSX.Element {
  const count = useGrid((s) => s.count);
  useEffect(() => setOpenCharts(count), [count]);
  return (
    <div className="chart-area">
      <GridBar />
      <div className={`chart-grid chart-grid-${count}`} data-testid="chart-grid" data-count={count}>
        <ChartPanel />
        {count >= 2 ? <MiniChart index={1} /> : null}
        {count === 4 ? <MiniChart index={2} /> : null}
        {count === 4 ? <MiniChart index={3} /> : null}
      </div>
    </div>
  );
}
