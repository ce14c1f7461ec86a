/**
 * The Screener panel's form: universe picker, timeframe, the screen kind — built-in columns (with
 * live refresh on bar close, a top-N note in the window, and a saved top-N alert rule in core), SQL (with the store's schema beside the editor) or
 * a saved strategy from the editor's library (metric, holdout) — the range, filter and sort.
 */
import { useEffect } from "react";
import { SWEEP_SORT_KEYS } from "../../../common/strategy/sweep.ts";
import { TIMEFRAME_LIST } from "../stores/chart.ts";
import { useScreener } from "../stores/screener.ts";
import { useStrategies } from "../stores/strategies.ts";
import { loadSchema, saveScreenAlert } from "./actions.ts";

/** The tables, view and parameters a SQL screen sees, beside the SQL editor. */
function SchemaBox(): React.JSX.Element {
  const schema = useScreener((s) => s.schema);
  useEffect(() => void loadSchema(), []);
  if (!schema) return <div className="screener-schema muted" data-testid="screener-schema">reading the schema…</div>;
  return (
    <div className="screener-schema" data-testid="screener-schema" aria-label="Schema">
      {schema.tables.map((t) => (
        <div key={t.name}>
          <b>{t.name}</b> <span className="muted">{t.kind}</span>
          <ul>
            {t.columns.map((c) => <li key={c.name}>{c.name} <span className="muted">{c.type}</span></li>)}
          </ul>
        </div>
      ))}
      <b>parameters</b>
      <ul>
        {schema.params.map((p) => <li key={p.name} title={p.doc}>{p.name} <span className="muted">{p.type}</span></li>)}
      </ul>
    </div>
  );
}

function StrategyFields(): React.JSX.Element {
  const { form, edit } = useScreener();
  const list = useStrategies((s) => s.list);
  useEffect(() => void useStrategies.getState().refresh(), []);
  return (
    <>
      <select aria-label="Strategy" value={form.strategyId ?? ""} onChange={(e) => edit({ strategyId: e.target.value === "" ? null : Number(e.target.value) })}>
        <option value="">{list.length === 0 ? "no saved strategies" : "choose a saved strategy"}</option>
        {list.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
      </select>
      <select aria-label="Metric" value={form.metric} onChange={(e) => edit({ metric: e.target.value })}>
        {SWEEP_SORT_KEYS.map((k) => <option key={k}>{k}</option>)}
      </select>
      <input aria-label="Holdout" className="screener-short" value={form.holdout} onChange={(e) => edit({ holdout: e.target.value })} placeholder="holdout 0.3" />
    </>
  );
}

function LiveFields(): React.JSX.Element {
  const { form, edit } = useScreener();
  return (
    <>
      <label className="screener-check">
        <input type="checkbox" aria-label="Live" checked={form.live} onChange={(e) => edit({ live: e.target.checked })} />
        live
      </label>
      <input aria-label="Alert top N" className="screener-short" value={form.alertTop} onChange={(e) => edit({ alertTop: e.target.value })} placeholder="alert top N" />
      <button type="button" title="Save an alert rule that runs in core on each bar close, with every window closed" onClick={() => void saveScreenAlert()}>
        {`Alert when a symbol enters the top ${form.alertTop.trim() || "10"}`}
      </button>
    </>
  );
}

/** The form (see the file comment). */
export function ScreenerForm(): React.JSX.Element {
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
        <option value="strategy">Strategy</option>
      </select>
      {form.mode === "columns" ? <input aria-label="Columns" className="screener-columns" value={form.columns} onChange={(e) => edit({ columns: e.target.value })} /> : null}
      {form.mode === "columns" ? <LiveFields /> : null}
      {form.mode === "strategy" ? <StrategyFields /> : null}
      <input aria-label="From" className="screener-short" value={form.from} onChange={(e) => edit({ from: e.target.value })} placeholder="from YYYY-MM-DD" />
      <input aria-label="To" className="screener-short" value={form.to} onChange={(e) => edit({ to: e.target.value })} placeholder="to YYYY-MM-DD" />
      <input aria-label="Filter" value={form.filter} onChange={(e) => edit({ filter: e.target.value })} placeholder="rsi_14 < 30 and change_pct_24 > 5" />
      <input aria-label="Sort" value={form.sort} onChange={(e) => edit({ sort: e.target.value })} placeholder={form.mode === "strategy" ? `${form.metric}:desc` : "rating:desc"} />
      {form.mode === "sql" ? (
        <div className="screener-sql-row">
          <textarea aria-label="SQL" className="screener-sql" spellCheck={false} value={form.sql} onChange={(e) => edit({ sql: e.target.value })} />
          <SchemaBox />
        </div>
      ) : null}
    </div>
  );
}
