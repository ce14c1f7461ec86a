/**
 * The Screener panel: the form (ScreenerForm.tsx; a demo universe one click away), Run with a
 * progress bar and Cancel (a strategy screen's workers stop), or Live (refresh on every bar close,
 * Stop, a note when a symbol enters the top N); the ranked table highlights rank changes since the
 * previous run or refresh, shows error rows, and a row click (or Enter) opens that symbol on the chart.
 */
import { useEffect, useRef } from "react";
import { escapeControls } from "../../../common/text/escape.ts";
import type { ScreenRow } from "../../../common/screener/rank.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { useChart } from "../stores/chart.ts";
import { formatCell, useScreener, type ScreenRunState } from "../stores/screener.ts";
import { cancelScreen, loadUniverses, makeDemoUniverse, runScreen, showUniverseRuns, stopLive } from "./actions.ts";
import { ScreenerForm } from "./ScreenerForm.tsx";

function moveText(move: number | null | undefined): string {
  if (move === undefined || move === 0) return "";
  if (move === null) return "new";
  return move > 0 ? `▲${move}` : `▼${-move}`;
}

function ResultTable(): React.JSX.Element | null {
  const { result, moves } = useScreener();
  if (!result) return null;
  const open = (r: ScreenRow): void => useChart.getState().open({ venue: r.venue, symbol: r.symbol });
  return (
    <table className="trades" data-testid="screener-table">
      <thead>
        <tr>
          <th>#</th><th />
          <th>Symbol</th>
          {result.columns.map((c) => <th key={c}>{c}</th>)}
          <th>Note</th>
        </tr>
      </thead>
      <tbody>
        {result.rows.map((r, i) => {
          const move = moves[`${r.venue}:${r.symbol}`];
          const notes = Array.isArray(r.notes) ? r.notes.join("; ") : "";
          return (
            <tr
              key={`${r.venue}:${r.symbol}`}
              tabIndex={0}
              data-testid="screener-row"
              data-symbol={r.symbol}
              className={[move !== undefined && move !== 0 ? "moved" : "", typeof r.error === "string" ? "error-row" : ""].join(" ").trim() || undefined}
              onClick={() => open(r)}
              onKeyDown={(e) => e.key === "Enter" && open(r)}
            >
              <td>{i + 1}</td>
              <td>{moveText(move)}</td>
              <td title={r.venue}>{escapeControls(r.symbol)}</td>
              {result.columns.map((c) => <td key={c}>{formatCell(r[c])}</td>)}
              <td>{escapeControls(typeof r.error === "string" ? r.error : notes)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Actions({ run }: { run: ScreenRunState }): React.JSX.Element {
  const liveAt = useScreener((s) => s.liveAt);
  const live = useScreener((s) => s.form.live && s.form.mode === "columns");
  if (run.kind === "running") {
    return (
      <>
        {run.total ? <progress data-testid="screener-progress" value={run.done ?? 0} max={run.total} /> : null}
        <span className="muted" data-testid="screener-status">{run.message}</span>
        <button type="button" onClick={cancelScreen}>Cancel</button>
      </>
    );
  }
  if (liveAt !== null) {
    return (
      <>
        <span className="muted" data-testid="screener-live">{`live · refreshed ${new Date(liveAt).toISOString().slice(11, 19)} UTC`}</span>
        <button type="button" onClick={stopLive}>Stop</button>
      </>
    );
  }
  return (
    <>
      <button type="button" title="The commands that sweep or walk-forward a strategy on each member of this universe" onClick={showUniverseRuns}>Sweep / walk-forward this universe…</button>
      <button type="button" onClick={() => void runScreen()}>{live ? "Watch" : "Run"}</button>
    </>
  );
}

function EntryNote(): React.JSX.Element | null {
  const entry = useScreener((s) => s.entry);
  if (!entry) return null;
  return <p role="status" data-testid="screener-entry">{escapeControls(`${entry.symbols.join(", ")} entered the top ${entry.top} (${new Date(entry.at).toISOString().slice(11, 16)} UTC)`)}</p>;
}

function Notice(): React.JSX.Element | null {
  const notice = useScreener((s) => s.notice);
  return notice ? <p role="status" className="muted" style={{ whiteSpace: "pre-wrap", userSelect: "text" }} data-testid="screener-notice">{escapeControls(notice, { keepNewlines: true })}</p> : null;
}

/** The Screener panel. */
export function ScreenerPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const run = useScreener((s) => s.run);
  const result = useScreener((s) => s.result);
  const universes = useScreener((s) => s.universes);
  const loaded = useRef(false);
  useEffect(() => {
    if (!loaded.current) void loadUniverses();
    loaded.current = true;
  }, []);
  const busy = run.kind === "running";
  return (
    <Panel title="Screener" area="screener" style={style} actions={<Actions run={run} />}>
      <ScreenerForm />
      {run.kind === "failed" ? <p className="error" role="alert">{escapeControls(run.message)}</p> : null}
      <EntryNote />
      <Notice />
      {result ? <p className="muted" data-testid="screener-summary">{`${result.rows.length} rows, ${result.failed} failed, ${result.elapsedMs} ms`}</p> : null}
      {result ? <ResultTable /> : (
        <Empty action={universes.length === 0 ? <button type="button" disabled={busy} onClick={() => void makeDemoUniverse()}>Make a demo universe</button> : undefined}>
          Rank a universe of symbols by indicators, a technical rating, SQL or a saved strategy's backtest.
        </Empty>
      )}
    </Panel>
  );
}
