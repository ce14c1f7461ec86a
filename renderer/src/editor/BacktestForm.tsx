/**
 * The run form: symbol (the chart's), timeframe, date range, cash, commission, slippage and one
 * field per strategy parameter (read from the draft's `params`, so values change without editing
 * code). Defaults come from Settings. Ctrl+Enter runs it from anywhere.
 */
import { useEffect, useMemo, useState } from "react";
import type { StrategyParams } from "../../../common/strategy/api.ts";
import { onAction } from "../lib/shortcuts.ts";
import { useBacktest } from "../stores/backtest.ts";
import { TIMEFRAME_LIST, useChart } from "../stores/chart.ts";
import { useSettings } from "../stores/settings.ts";
import { useStrategies } from "../stores/strategies.ts";
import { extractParams, parseParam, parseRange } from "./params.ts";
import { runBacktest, runSweep, type RunRequest } from "./run.ts";
import type { Timeframe } from "../../../common/market/bars.ts";

function dateToMs(text: string): number | null {
  if (!text) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** Range fields of a sweep: "start:stop:step" or "a,b,c" per numeric param (empty = the single value). */
function RangeFields({ defaults, ranges, onChange }: { defaults: StrategyParams; ranges: Record<string, string>; onChange(name: string, text: string): void }): React.JSX.Element {
  const names = Object.keys(defaults).filter((n) => typeof defaults[n] === "number");
  return (
    <div className="param-fields">
      {names.map((name) => {
        const text = ranges[name] ?? "";
        return (
          <label key={name} className="field" title="start:stop:step or a list a,b,c">
            {name}
            <input data-testid={`range-${name}`} className={text && !parseRange(text) ? "bad" : ""} placeholder={String(defaults[name])} value={text} onChange={(e) => onChange(name, e.target.value)} />
          </label>
        );
      })}
    </div>
  );
}

/** The sweep grid from the range fields (params without a range keep their single value). */
export function sweepGrid(defaults: StrategyParams, params: StrategyParams, ranges: Record<string, string>): Record<string, Array<number | boolean | string>> | null {
  const grid: Record<string, Array<number | boolean | string>> = {};
  for (const name of Object.keys(defaults)) {
    const text = ranges[name]?.trim();
    if (!text) continue;
    const values = parseRange(text);
    if (!values) return null;
    grid[name] = values;
  }
  for (const [k, v] of Object.entries(params)) if (!(k in grid)) grid[k] = [v];
  return grid;
}

function ParamFields({ defaults, values, onChange }: { defaults: StrategyParams; values: Record<string, string>; onChange(name: string, text: string): void }): React.JSX.Element {
  const names = Object.keys(defaults);
  if (names.length === 0) return <p className="muted">No editable params found in the strategy.</p>;
  return (
    <div className="param-fields" data-testid="param-fields">
      {names.map((name) => {
        const like = defaults[name]!;
        const text = values[name] ?? String(like);
        const bad = parseParam(text, like) === null;
        return typeof like === "boolean" ? (
          <label key={name} className="field"><input type="checkbox" checked={text === "true"} onChange={(e) => onChange(name, String(e.target.checked))} /> {name}</label>
        ) : (
          <label key={name} className="field">
            {name}
            <input data-testid={`param-${name}`} className={bad ? "bad" : ""} value={text} onChange={(e) => onChange(name, e.target.value)} />
          </label>
        );
      })}
    </div>
  );
}

/** The backtest form. */
export function BacktestForm(): React.JSX.Element {
  const instrument = useChart((s) => s.instrument);
  const chartTf = useChart((s) => s.timeframe);
  const defaults = useSettings((s) => s.settings.backtest);
  const draft = useStrategies((s) => s.draft);
  const name = useStrategies((s) => s.name);
  const running = useBacktest((s) => s.run.kind === "running");
  const [timeframe, setTimeframe] = useState<Timeframe>(chartTf);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [cash, setCash] = useState("");
  const [commission, setCommission] = useState("");
  const [slippage, setSlippage] = useState("");
  const [paramText, setParamText] = useState<Record<string, string>>({});
  const [sweep, setSweep] = useState(false);
  const [ranges, setRanges] = useState<Record<string, string>>({});
  const paramDefaults = useMemo(() => extractParams(draft) ?? {}, [draft]);
  useEffect(() => setTimeframe(chartTf), [chartTf]);
  const params: StrategyParams = {};
  for (const [k, like] of Object.entries(paramDefaults)) {
    const v = parseParam(paramText[k] ?? String(like), like);
    if (v !== null) params[k] = v;
  }
  const num = (text: string, fallback: number): number => (text.trim() === "" || !Number.isFinite(Number(text)) ? fallback : Number(text));
  const grid = sweep ? sweepGrid(paramDefaults, params, ranges) : null;
  const submit = (): void => {
    if (!instrument || running) return;
    const req: RunRequest = {
      name, source: draft, symbol: instrument.symbol, venue: instrument.venue, timeframe, from: dateToMs(from), to: dateToMs(to),
      cash: num(cash, defaults.cash), commission: num(commission, defaults.commission), slippageBps: num(slippage, defaults.slippageBps), params,
    };
    if (!sweep) void runBacktest(req);
    else if (grid) void runSweep(req, grid);
  };
  useEffect(() => onAction("run", () => submit()));
  return (
    <form className="run-form" data-testid="run-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <div className="field"><span>Symbol</span><strong data-testid="run-symbol">{instrument ? `${instrument.symbol} · ${instrument.venue}` : "open one on the chart"}</strong></div>
      <label className="field">Timeframe
        <select value={timeframe} onChange={(e) => setTimeframe(e.target.value as Timeframe)}>{TIMEFRAME_LIST.map((tf) => <option key={tf}>{tf}</option>)}</select>
      </label>
      <label className="field">From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
      <label className="field">To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
      <label className="field">Cash <input inputMode="decimal" placeholder={String(defaults.cash)} value={cash} onChange={(e) => setCash(e.target.value)} /></label>
      <label className="field">Commission <input inputMode="decimal" placeholder={String(defaults.commission)} value={commission} onChange={(e) => setCommission(e.target.value)} /></label>
      <label className="field">Slippage bps <input inputMode="decimal" placeholder={String(defaults.slippageBps)} value={slippage} onChange={(e) => setSlippage(e.target.value)} /></label>
      <h4>Params</h4>
      <ParamFields defaults={paramDefaults} values={paramText} onChange={(k, v) => setParamText((p) => ({ ...p, [k]: v }))} />
      <label className="field"><input type="checkbox" data-testid="sweep-toggle" checked={sweep} onChange={(e) => setSweep(e.target.checked)} /> Sweep ranges</label>
      {sweep ? <RangeFields defaults={paramDefaults} ranges={ranges} onChange={(k, v) => setRanges((r) => ({ ...r, [k]: v }))} /> : null}
      <button type="submit" data-testid="run-backtest" disabled={!instrument || running || (sweep && !grid)} title="Run (Ctrl+Enter)">{sweep ? "Run sweep" : "Run backtest"}</button>
    </form>
  );
}
