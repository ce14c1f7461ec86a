/**
 * The editor's "Deploy → Live": the open strategy on the chart's venue, symbol and timeframe, on a
 * chosen environment (testnet by default). Core returns the approval summary first; the dialog shows
 * it with the diff against the last approved version and deploys only after an explicit confirmation.
 */
import { useState } from "react";
import { createPortal } from "react-dom";
import { Modal } from "../app/Modal.tsx";
import { useEscape } from "../editor/escape.ts";
import { useChart } from "../stores/chart.ts";
import { useLive, type LiveDeployment } from "../stores/live.ts";
import { useStrategies } from "../stores/strategies.ts";
import { ModeBadge } from "./LiveBadge.tsx";

const ENVS: LiveDeployment["env"][] = ["testnet", "demo", "live", "validate"];

const limitText = (x: number | null) => (x === null ? "none" : x.toLocaleString("en-US"));

/** The approval dialog of the pending live deployment. */
export function LiveApprovalDialog(): React.JSX.Element | null {
  const pending = useLive((s) => s.pending);
  const error = useLive((s) => s.error);
  const confirm = useLive((s) => s.confirm);
  const dismiss = useLive((s) => s.dismiss);
  const [checked, setChecked] = useState(false);
  useEscape(dismiss);
  if (!pending) return null;
  const a = pending.approval;
  return (
    <Modal title={`Approve LIVE deployment of ${a.strategy}`} testId="live-approval-dialog" wide onClose={dismiss}>
      <div className="live-box">
        <p><ModeBadge live testId="live-approval-badge" /> Real orders will be sent to <b>{a.venue}</b> ({a.env}) on account <b>{a.account}</b>.</p>
        <table className="trades" data-testid="live-approval-summary">
          <tbody>
            <tr><th>Strategy</th><td>{a.strategy} · version <code data-testid="live-approval-version">{a.version}</code></td></tr>
            <tr><th>Venue</th><td>{a.venue} ({a.env})</td></tr>
            <tr><th>Account</th><td>{a.account}</td></tr>
            <tr><th>Symbol</th><td>{a.symbol} · {a.timeframe}</td></tr>
            {Object.entries(a.limits).map(([k, v]) => <tr key={k}><th>{k}</th><td>{limitText(v)}</td></tr>)}
            <tr><th>Last approved</th><td>{a.lastApproved ? `version ${a.lastApproved.version} (${a.lastApproved.env} ${a.lastApproved.symbol} ${a.lastApproved.timeframe}) ${new Date(a.lastApproved.approvedAt).toISOString()}` : "never: first deployment"}</td></tr>
          </tbody>
        </table>
        <pre className="live-diff" data-testid="live-approval-diff">
          {a.lastApproved === null ? "No earlier approved version to compare with." : a.diff.length === 0 ? "The source and params are unchanged." : a.diff.map((l, i) => <span key={i} className={l.startsWith("+") ? "up" : "down"}>{l}{"\n"}</span>)}
        </pre>
        <label className="field">
          <input type="checkbox" data-testid="live-approve-check" checked={checked} onChange={(e) => setChecked(e.target.checked)} /> I have read this summary and approve version {a.version} for live trading
        </label>
        {error ? <p className="error" role="alert">{error}</p> : null}
        <div className="field">
          <button type="button" className="danger" data-testid="live-approve-confirm" disabled={!checked} onClick={() => void confirm(a.version)}>Deploy LIVE</button>
          <button type="button" data-testid="live-approve-cancel" onClick={dismiss}>Cancel</button>
        </div>
      </div>
    </Modal>
  );
}

/** The deploy button with its environment choice. */
export function DeployLive(): React.JSX.Element {
  const instrument = useChart((s) => s.instrument);
  const timeframe = useChart((s) => s.timeframe);
  const preview = useLive((s) => s.preview);
  const pending = useLive((s) => s.pending);
  const [env, setEnv] = useState<LiveDeployment["env"]>("testnet");
  return (
    <>
      <select aria-label="Live environment" data-testid="deploy-live-env" value={env} onChange={(e) => setEnv(e.target.value as LiveDeployment["env"])}>
        {ENVS.map((e) => <option key={e} value={e}>{e}</option>)}
      </select>
      <button
        className="live-button"
        data-testid="deploy-live"
        disabled={!instrument}
        title={instrument ? "Run this strategy with real orders on the venue (asks for approval first)" : "Open a symbol on the chart first"}
        onClick={() => {
          if (!instrument) return;
          const { draft, name } = useStrategies.getState();
          void preview({ source: draft, filename: `${name.replace(/[^\w.-]+/g, "-") || "strategy"}.ts`, venue: instrument.venue, env, symbol: instrument.symbol, timeframe });
        }}
      >
        Deploy → Live
      </button>
      {pending ? createPortal(<LiveApprovalDialog />, document.body) : null}
    </>
  );
}
