/**
 * Sweep results: one row per combination, sortable by any metric; a click (or Enter / Space on a
 * focused row) backtests that combination, except while a run is in progress; "Use these params"
 * copies the row's params into the run form.
 */
import { useMemo, useState } from "react";
import { escapeControls } from "../../../common/text/escape.ts";
import type { Metrics } from "../../../common/strategy/results.ts";
import type { SweepRow } from "../../../common/strategy/sweep.ts";
import { runBacktest } from "../editor/run.ts";
import { figureCount, figureRatio, figureReturn, figureShare } from "../lib/figures.ts";
import { useBacktest, type SweepResult } from "../stores/backtest.ts";

const METRICS: Array<[keyof Metrics, string, (v: number | null) => string]> = [
  ["totalReturn", "Return", figureReturn], ["sharpe", "Sharpe", figureRatio], ["maxDrawdown", "Max DD", figureShare], ["winRate", "Win rate", figureShare], ["trades", "Trades", figureCount],
];

function metric(row: SweepRow, key: keyof Metrics, oos: boolean): number | null {
  if (!row.ok) return null;
  const m = oos ? row.outOfSample : row.metrics;
  return m ? m[key] : null;
}

/** Rows sorted by a metric, best (largest) first; failed rows last. */
export function sortSweep(rows: readonly SweepRow[], key: keyof Metrics, descending: boolean): SweepRow[] {
  return rows.slice().sort((a, b) => {
    const x = metric(a, key, false), y = metric(b, key, false);
    if (x === null) return y === null ? a.index - b.index : 1;
    if (y === null) return -1;
    return (descending ? y - x : x - y) || a.index - b.index;
  });
}

/** The sweep table. */
export function SweepTable({ sweep }: { sweep: SweepResult }): React.JSX.Element {
  const [sortKey, setSortKey] = useState<keyof Metrics>("totalReturn");
  const [desc, setDesc] = useState(true);
  const rows = useMemo(() => sortSweep(sweep.rows, sortKey, desc), [sweep.rows, sortKey, desc]);
  const names = Object.keys(sweep.rows[0]?.params ?? {});
  const hasOos = sweep.rows.some((r) => r.ok && r.outOfSample !== null);
  const running = useBacktest((s) => s.run.kind === "running");
  const activate = (r: SweepRow): void => {
    if (!running) void runBacktest({ ...sweep.request, params: { ...sweep.request.params, ...r.params } });
  };
  return (
    <table className="trades" data-testid="sweep-table">
      <thead>
        <tr>
          {names.map((n) => <th key={n}>{n}</th>)}
          {METRICS.map(([k, label]) => (
            <th key={k}><button type="button" onClick={() => (k === sortKey ? setDesc(!desc) : (setSortKey(k), setDesc(true)))}>{label}{k === sortKey ? (desc ? " ▼" : " ▲") : ""}</button></th>
          ))}
          {hasOos ? <th>Return (out of sample)</th> : null}
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.index}
            data-testid="sweep-row"
            tabIndex={0}
            aria-disabled={running}
            title={running ? "A run is in progress: wait for it or cancel it" : "Backtest this combination (Enter)"}
            onClick={() => activate(r)}
            onKeyDown={(e) => {
              if (e.key !== "Enter" && e.key !== " ") return;
              e.preventDefault();
              activate(r);
            }}
          >
            {names.map((n) => <td key={n}>{escapeControls(String(r.params[n]))}</td>)}
            {r.ok ? METRICS.map(([k, , fmt]) => <td key={k}>{fmt(metric(r, k, false))}</td>) : <td colSpan={METRICS.length} className="down">{escapeControls(r.error)}</td>}
            {hasOos ? <td>{figureReturn(metric(r, "totalReturn", true))}</td> : null}
            <td>
              <button type="button" data-testid="sweep-use" title="Copy these params into the run form" onClick={(e) => { e.stopPropagation(); useBacktest.getState().applyParams(r.params); }} onKeyDown={(e) => e.stopPropagation()}>Use these params</button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
