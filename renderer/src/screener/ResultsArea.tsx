/**
 * The bottom-right area: backtest results or the Screener, switched by two tabs. A backtest or
 * sweep that starts brings the results back.
 */
import { useEffect } from "react";
import { ResultsPanel } from "../results/ResultsPanel.tsx";
import { useBacktest } from "../stores/backtest.ts";
import { useScreener } from "../stores/screener.ts";
import { ScreenerPanel } from "./ScreenerPanel.tsx";

/** Results or Screener, with the tabs that switch them. */
export function ResultsArea({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const view = useScreener((s) => s.view);
  useEffect(
    () =>
      useBacktest.subscribe((s, prev) => {
        if (s.run.kind === "running" && prev.run.kind !== "running") useScreener.getState().show("results");
      }),
    [],
  );
  const tab = (id: typeof view, label: string): React.JSX.Element => (
    <button type="button" role="tab" aria-selected={view === id} className={view === id ? "active" : undefined} onClick={() => useScreener.getState().show(id)}>
      {label}
    </button>
  );
  return (
    <div className="results-area" style={style}>
      <div role="tablist" className="area-tabs">
        {tab("results", "Results")}
        {tab("screener", "Screener")}
      </div>
      {view === "results" ? <ResultsPanel style={{ flex: "1 1 0" }} /> : <ScreenerPanel style={{ flex: "1 1 0" }} />}
    </div>
  );
}
