/**
 * The editor's "Alert on signals": an alert whose fires are the open strategy's orders. The strategy
 * is saved first when it has unsaved edits (a draft never saved asks for its name, as Save does),
 * then the alert form opens on the chart's venue, symbol and timeframe with a strategy condition.
 */
import { useState } from "react";
import { TIMEFRAMES, type Timeframe } from "../../../common/market/bars.ts";
import { Modal } from "../app/Modal.tsx";
import { copyName, nameProblem } from "../editor/draft.ts";
import { NameDialog } from "../editor/NameDialog.tsx";
import { useAlerts } from "../stores/alerts.ts";
import { useChart } from "../stores/chart.ts";
import { useStrategies } from "../stores/strategies.ts";
import { strategyAlertForm, strategyAlertRule, type StrategyAlertForm } from "./alert-rules.ts";

/** Saves the open strategy if needed; resolves to its saved name, or null (the store shows why). */
async function savedName(): Promise<string | null> {
  const s = useStrategies.getState();
  if (s.current && s.current.source === s.draft) return s.current.name;
  return (await s.save()) ? (useStrategies.getState().current?.name ?? null) : null;
}

function FormDialog({ name, onClose }: { name: string; onClose(): void }): React.JSX.Element {
  const instrument = useChart((s) => s.instrument);
  const timeframe = useChart((s) => s.timeframe);
  const [form, setForm] = useState<StrategyAlertForm>(() => strategyAlertForm(name, instrument, timeframe));
  const [error, setError] = useState<string | null>(null);
  const patch = (p: Partial<StrategyAlertForm>): void => setForm((f) => ({ ...f, ...p }));
  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    const built = strategyAlertRule(name, form);
    if ("error" in built) return setError(built.error);
    const failed = await useAlerts.getState().add(built.rule);
    if (failed) setError(failed);
    else onClose();
  };
  const text = (label: string, key: "id" | "venue" | "symbol" | "params" | "message", placeholder?: string) => (
    <label className="field">{label}<input aria-label={label} value={form[key]} placeholder={placeholder} onChange={(e) => patch({ [key]: e.target.value })} /></label>
  );
  return (
    <Modal title={`Alert on the signals of ${name}`} testId="strategy-alert" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        {text("Id", "id")}
        {text("Venue", "venue")}
        {text("Symbol", "symbol")}
        <label className="field">Timeframe<select aria-label="Timeframe" value={form.timeframe} onChange={(e) => patch({ timeframe: e.target.value as Timeframe })}>
          {Object.keys(TIMEFRAMES).map((tf) => <option key={tf} value={tf}>{tf}</option>)}
        </select></label>
        <label className="field">Fire<select aria-label="Fire" value={form.frequency} onChange={(e) => patch({ frequency: e.target.value as StrategyAlertForm["frequency"] })}>
          <option value="once_per_bar_close">on every order</option>
          <option value="once">on the first order only</option>
        </select></label>
        {text("Params", "params", '{"fast": 10}')}
        {text("Message", "message", "{{rule}}: {{symbol}} {{order.side}} {{order.size}} @ {{order.price}}")}
        {error ? <p className="error" role="alert">{error}</p> : null}
        <div className="row-actions">
          <button type="submit" data-testid="strategy-alert-add">Add alert</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}

/** The editor's button. */
export function StrategyAlertButton(): React.JSX.Element {
  const [step, setStep] = useState<{ kind: "name" } | { kind: "form"; name: string } | null>(null);
  const start = async (): Promise<void> => {
    if (useStrategies.getState().current === null) return setStep({ kind: "name" });
    const name = await savedName();
    if (name) setStep({ kind: "form", name });
  };
  const saveAs = async (n: string): Promise<string | null> => {
    const s = useStrategies.getState();
    await s.rename(n);
    const name = await savedName();
    if (!name) return useStrategies.getState().error ?? "core refused it";
    setStep({ kind: "form", name });
    return null;
  };
  const { list, name } = useStrategies();
  return (
    <>
      <button type="button" data-testid="strategy-alert-open" title="Alert on this strategy's orders (saves it first)" onClick={() => void start()}>Alert on signals</button>
      {step?.kind === "name" ? <NameDialog title="Save as" action="Save" initial={copyName(name, list)} problem={(n) => nameProblem(n, list, null)} onConfirm={saveAs} onCancel={() => setStep(null)} /> : null}
      {step?.kind === "form" ? <FormDialog name={step.name} onClose={() => setStep(null)} /> : null}
    </>
  );
}
