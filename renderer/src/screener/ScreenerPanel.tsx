/**
 * The Screener panel: a universe picker (saved universes, or a VENUE:SYMBOL list; a demo universe
 * one click away), timeframe, built-in columns or a SQL editor over the store, filter and sort, Run
 * with progress and Cancel; the ranked table highlights rank changes since the previous run, and a
 * row click (or Enter) opens that symbol on the chart.
 */
import { useEffect, useRef } from "react";
import { escapeControls } from "../../../common/text/escape.ts";
import type { ScreenRow } from "../../../common/screener/rank.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { TIMEFRAME_LIST, useChart } from "../stores/chart.ts";
import { api } from "../stores/connection.ts";
import { formatCell, rankMoves, screenRequest, useScreener } from "../stores/screener.ts";

let running: AbortController | null = null;

async function loadUniverses(): Promise<void> {
  try {
    useScreener.setState({ universes: await api.call("universe.list", {}) });
  } catch {
    // The picker still takes a typed name or list.
  }
}

async function runScreen(): Promise<void> {
  running?.abort();
  const abort = new AbortController();
  running = abort;
  const { form, result: before } = useScreener.getState();
  useScreener.setState({ run: { kind: "running", message: "screening…" } });
  try {
    const result = await api.call("screen.run", screenRequest(form), {
      signal: abort.signal,
      onProgress: (p) => useScreener.setState({ run: { kind: "running", message: p.message ?? `${p.done}` } }),
    });
    useScreener.setState({ result, moves: before ? rankMoves(before.rows, result.rows) : {}, run: { kind: "idle" } });
  } catch (err) {
    useScreener.setState({ run: abort.signal.aborted ? { kind: "idle" } : { kind: "failed", message: (err as Error).message } });
  } finally {
    if (running === abort) running = null;
  }
}

async function makeDemoUniverse(): Promise<void> {
  useScreener.setState({ run: { kind: "running", message: "writing a synthetic universe…" } });
  try {
    const made = await api.call("universe.synthetic", { symbols: 100, bars: 1000, timeframe: "1h" });
    useScreener.getState().edit({ universe: made.name, timeframe: "1h" });
    await loadUniverses();
    useScreener.setState({ run: { kind: "idle" } });
  } catch (err) {
    useScreener.setState({ run: { kind: "failed", message: (err as Error).message } });
  }
}

function Form(): React.JSX.Element {
  const { form, universes, edit } = useScreener();
  return (
    <div className="screener-form">
      <input aria-label="Universe" list="screener-universes" value={form.universe} onChange={(e) => edit({ universe: e.target.value })} placeholder="universe or binance:BTC/USDT,…" />
      <datalist id="screener-universes">
        {universes.map((u) => <option key={u.name} value={u.name}>{`${u.members} symbols`}</option>)}
      </datalist>
      <select aria-label="Timeframe" value={form.timeframe} onChange={(e) => edit({ timeframe: e.target.value as typeof form.timeframe })}>
        {TIMEFRAME_LIST.map((tf) => <option key={tf}>{tf}</option>)}
      </select>
      <select aria-label="Screen kind" value={form.mode} onChange={(e) => edit({ mode: e.target.value as typeof form.mode })}>
        <option value="columns">Columns</option>
        <option value="sql">SQL</option>
      </select>
      {form.mode === "columns" ? <input aria-label="Columns" className="screener-columns" value={form.columns} onChange={(e) => edit({ columns: e.target.value })} /> : null}
      <input aria-label="Filter" value={form.filter} onChange={(e) => edit({ filter: e.target.value })} placeholder="rsi_14 < 30 and change_pct_24 > 5" />
      <input aria-label="Sort" value={form.sort} onChange={(e) => edit({ sort: e.target.value })} placeholder="rating:desc" />
      {form.mode === "sql" ? (
        <textarea aria-label="SQL" className="screener-sql" spellCheck={false} value={form.sql} onChange={(e) => edit({ sql: e.target.value })} />
      ) : null}
    </div>
  );
}

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
            <tr key={`${r.venue}:${r.symbol}`} tabIndex={0} data-testid="screener-row" className={move ? "moved" : undefined} onClick={() => open(r)} onKeyDown={(e) => e.key === "Enter" && open(r)}>
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
  const actions = (
    <>
      {busy ? <span className="muted">{run.message}</span> : null}
      {busy ? <button type="button" onClick={() => running?.abort()}>Cancel</button> : <button type="button" onClick={() => void runScreen()}>Run</button>}
    </>
  );
  return (
    <Panel title="Screener" area="screener" style={style} actions={actions}>
      <Form />
      {run.kind === "failed" ? <p className="error" role="alert">{escapeControls(run.message)}</p> : null}
      {result ? <p className="muted">{`${result.rows.length} rows, ${result.failed} failed, ${result.elapsedMs} ms`}</p> : null}
      {result ? <ResultTable /> : (
        <Empty action={universes.length === 0 ? <button type="button" disabled={busy} onClick={() => void makeDemoUniverse()}>Make a demo universe</button> : undefined}>
          Rank a universe of symbols by indicators, a technical rating or SQL.
        </Empty>
      )}
    </Panel>
  );
}
