/**
 * The run form: symbol (the chart's), timeframe (the chart's until the user picks one), date range
 * (UTC days, inclusive), cash, commission, slippage and one field per strategy parameter (read from
 * the draft's `params`, so values change without editing code). Empty cost fields take the
 * Settings defaults. Run is disabled while a field is invalid, and the bad fields are named;
 * Ctrl+Enter then says why in the results panel (kept current until the form is valid) instead of
 * running with a default. Collapsed (editor/view.ts), the fields are hidden but kept, and the
 * Run button stays.
 */
import { useEffect, useMemo, useState } from "react";
import type { StrategyParams } from "../../../common/strategy/api.ts";
import { onAction } from "../lib/shortcuts.ts";
import { useBacktest } from "../stores/backtest.ts";
import { TIMEFRAME_LIST, useChart } from "../stores/chart.ts";
import { useSettings } from "../stores/settings.ts";
import { useStrategies } from "../stores/strategies.ts";
import { checkRunForm, type FieldError } from "./form.ts";
import { extractParams, parseParam, parseRange } from "./params.ts";
import { runBacktest, runSweep, type RunRequest } from "./run.ts";
import { useEditorView } from "./view.ts";
import type { Timeframe } from "../../../common/market/bars.ts";

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

/** The range, cash and cost fields: their text, setters and the Settings defaults as placeholders. */
interface RunFieldsProps {
  fields: Record<"from" | "to" | "cash" | "commission" | "slippage", [string, (text: string) => void]>;
  bad(field: string): string;
  defaults: { cash: number; commission: number; slippageBps: number };
}

function RunFields({ fields, bad, defaults }: RunFieldsProps): React.JSX.Element {
  const input = (key: keyof RunFieldsProps["fields"], extra: React.InputHTMLAttributes<HTMLInputElement>): React.JSX.Element => (
    <input data-testid={`run-${key}`} className={bad(key)} aria-invalid={bad(key) !== ""} value={fields[key][0]} onChange={(e) => fields[key][1](e.target.value)} {...extra} />
  );
  return (
    <>
      <label className="field">From {input("from", { type: "date" })}</label>
      <label className="field">To {input("to", { type: "date" })}</label>
      <p className="hint">UTC days, both inclusive; empty = all bars</p>
      <label className="field">Cash {input("cash", { inputMode: "decimal", placeholder: String(defaults.cash) })}</label>
      <label className="field" title="A fraction of the traded notional on every fill: 0.001 = 0.1 %">Commission {input("commission", { inputMode: "decimal", placeholder: String(defaults.commission) })}</label>
      <p className="hint">fraction per fill, 0.001 = 0.1 %</p>
      <label className="field" title="Adverse slippage on market and stop fills, in basis points of the price: 10 = 0.1 %">Slippage bps {input("slippage", { inputMode: "decimal", placeholder: String(defaults.slippageBps) })}</label>
      <p className="hint">basis points of the price, 10 = 0.1 %</p>
    </>
  );
}

function FormErrors({ errors }: { errors: FieldError[] }): React.JSX.Element | null {
  if (errors.length === 0) return null;
  return (
    <ul className="error" data-testid="run-form-errors" aria-live="polite">
      {errors.map((e) => <li key={e.field}>{e.message}</li>)}
    </ul>
  );
}

/** The backtest form. */
export function BacktestForm(): React.JSX.Element {
  const instrument = useChart((s) => s.instrument);
  const chartTf = useChart((s) => s.timeframe);
  const defaults = useSettings((s) => s.settings.backtest);
  const draft = useStrategies((s) => s.draft);
  const name = useStrategies((s) => s.name);
  const current = useStrategies((s) => s.current);
  const running = useBacktest((s) => s.run.kind === "running");
  const formOpen = useEditorView((s) => s.formOpen);
  const [tfChoice, setTfChoice] = useState<Timeframe | null>(null);
  const fields: RunFieldsProps["fields"] = { from: useState(""), to: useState(""), cash: useState(""), commission: useState(""), slippage: useState("") };
  const [paramText, setParamText] = useState<Record<string, string>>({});
  const [sweep, setSweep] = useState(false);
  const [ranges, setRanges] = useState<Record<string, string>>({});
  const paramDefaults = useMemo(() => extractParams(draft) ?? {}, [draft]);
  const timeframe = tfChoice ?? chartTf;
  const check = checkRunForm({
    hasSymbol: instrument !== null, from: fields.from[0], to: fields.to[0], cash: fields.cash[0], commission: fields.commission[0], slippage: fields.slippage[0], paramDefaults, paramText, sweep, ranges, defaults,
  });
  const errors = check.ok ? [] : check.errors;
  const errorText = errors.map((e) => e.message).join("; ");
  const bad = (field: string): string => (errors.some((e) => e.field === field) ? "bad" : "");
  const submit = (): void => {
    if (running) return;
    if (!check.ok || !instrument) return useBacktest.getState().setNotice(errorText);
    const { grid, ...values } = check.values;
    const saved = current !== null && current.source === draft;
    const req: RunRequest = { name, saved, source: draft, symbol: instrument.symbol, venue: instrument.venue, timeframe, ...values };
    if (grid) void runSweep(req, grid);
    else void runBacktest(req);
  };
  useEffect(() => onAction("run", () => submit()));
  const formParams = useBacktest((s) => s.formParams);
  useEffect(() => {
    if (!formParams) return;
    setParamText((p) => ({ ...p, ...Object.fromEntries(Object.entries(formParams).map(([k, v]) => [k, String(v)])) }));
    setSweep(false);
    useBacktest.getState().applyParams(null);
  }, [formParams]);
  useEffect(() => {
    if (useBacktest.getState().notice !== null) useBacktest.getState().setNotice(errorText || null);
  }, [errorText]);
  return (
    <form className={formOpen ? "run-form" : "run-form run-form-collapsed"} data-testid="run-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <div className="run-fields" hidden={!formOpen}>
        <div className="field"><span>Symbol</span><strong data-testid="run-symbol">{instrument ? `${instrument.symbol} · ${instrument.venue}` : "open one on the chart"}</strong></div>
        <label className="field">Timeframe
          <select data-testid="run-timeframe" value={timeframe} onChange={(e) => setTfChoice(e.target.value as Timeframe)}>{TIMEFRAME_LIST.map((tf) => <option key={tf}>{tf}</option>)}</select>
        </label>
        <RunFields fields={fields} bad={bad} defaults={defaults} />
        <h4>Params</h4>
        <ParamFields defaults={paramDefaults} values={paramText} onChange={(k, v) => setParamText((p) => ({ ...p, [k]: v }))} />
        <label className="field"><input type="checkbox" data-testid="sweep-toggle" checked={sweep} onChange={(e) => setSweep(e.target.checked)} /> Sweep ranges</label>
        {sweep ? <RangeFields defaults={paramDefaults} ranges={ranges} onChange={(k, v) => setRanges((r) => ({ ...r, [k]: v }))} /> : null}
      </div>
      <button type="submit" data-testid="run-backtest" disabled={!check.ok || running} title={errors[0]?.message ?? "Run (Ctrl+Enter)"}>{sweep ? "Run sweep" : "Run backtest"}</button>
      <FormErrors errors={errors} />
    </form>
  );
}
