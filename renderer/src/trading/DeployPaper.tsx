/**
 * The editor's "Deploy → Paper": a dialog that starts the open strategy on paper on the chart's
 * venue, symbol and timeframe, with its fill model (book or next-trade), maker/taker fees (in %),
 * slippage and simulated latency. Core stores them with the session; the Trading panel shows them.
 */
import { useState } from "react";
import { Modal } from "../app/Modal.tsx";
import { useEscape } from "../editor/escape.ts";
import { useChart } from "../stores/chart.ts";
import { useStrategies } from "../stores/strategies.ts";
import { useTrading } from "../stores/trading.ts";
import { INITIAL_FILL_FORM, parseFill, type FillForm } from "./fill-form.ts";

function DeployDialog({ onDone }: { onDone: () => void }): React.JSX.Element {
  const instrument = useChart((s) => s.instrument)!;
  const timeframe = useChart((s) => s.timeframe);
  const deploy = useTrading((s) => s.deploy);
  const [form, setForm] = useState<FillForm>(INITIAL_FILL_FORM);
  useEscape(onDone);
  const parsed = parseFill(form);
  const field = (key: Exclude<keyof FillForm, "fillModel">, label: string) => (
    <label>
      {label} <input inputMode="decimal" value={form[key]} aria-label={label} data-testid={`deploy-${key}`} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </label>
  );
  const start = () => {
    if (typeof parsed === "string") return;
    const { draft, name } = useStrategies.getState();
    void deploy(draft, `${name.replace(/[^\w.-]+/g, "-") || "strategy"}.ts`, instrument.venue, instrument.symbol, timeframe, parsed).then(onDone);
  };
  return (
    <Modal title={`Deploy → Paper: ${instrument.venue} ${instrument.symbol} ${timeframe}`} testId="deploy-paper-dialog" onClose={onDone}>
      <form className="ticket" onSubmit={(e) => e.preventDefault()}>
        <label>
          Fill model{" "}
          <select value={form.fillModel} aria-label="Fill model" data-testid="deploy-fillModel" onChange={(e) => setForm({ ...form, fillModel: e.target.value as FillForm["fillModel"] })}>
            <option value="book">book (walk the book, limits queue)</option>
            <option value="next-trade">next-trade (as a backtest)</option>
          </select>
        </label>
        {field("makerPct", "Maker fee %")}
        {field("takerPct", "Taker fee %")}
        {field("slippageBps", "Slippage (bps)")}
        {field("latencyMs", "Latency (ms)")}
        {typeof parsed === "string" ? <p className="error" role="alert">{parsed}</p> : null}
        <div className="field">
          <button type="button" data-testid="deploy-paper-confirm" disabled={typeof parsed === "string"} onClick={start}>Deploy</button>
          <button type="button" onClick={onDone}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}

/** The deploy button (opens the dialog). */
export function DeployPaper(): React.JSX.Element {
  const instrument = useChart((s) => s.instrument);
  const timeframe = useChart((s) => s.timeframe);
  const [open, setOpen] = useState(false);
  const label = instrument ? `Deploy → Paper (${instrument.venue} ${instrument.symbol} ${timeframe})` : "Deploy → Paper";
  return (
    <>
      <button data-testid="deploy-paper" disabled={!instrument} title={instrument ? "Run this strategy on the live market on paper" : "Open a symbol on the chart first"} onClick={() => setOpen(true)}>
        {label}
      </button>
      {open && instrument ? <DeployDialog onDone={() => setOpen(false)} /> : null}
    </>
  );
}
