/**
 * The Trading panel's live side, marked LIVE in red everywhere: the live accounts core has open with
 * their balances and kill switches, live strategy sessions (stop), and live orders. The live kill
 * switch halts one venue account: its open orders are cancelled at the venue and new ones refused.
 */
import { escapeControls } from "../../../common/text/escape.ts";
import { Empty } from "../panels/Placeholder.tsx";
import { useLive } from "../stores/live.ts";
import { ModeBadge } from "./LiveBadge.tsx";

const num = (x: number | null) => (x === null ? "–" : (Math.round(x * 1e6) / 1e6).toLocaleString("en-US"));

/** The kill switch of one live account. */
export function LiveKillSwitch({ account, testPrefix = "live-kill-switch" }: { account: string; testPrefix?: string }): React.JSX.Element {
  const mode = useLive((s) => s.accounts.find((a) => a.id === account)?.mode ?? "normal");
  const setMode = useLive((s) => s.setMode);
  const venue = account.slice("live:".length);
  return mode === "normal" ? (
    <button className="danger live-kill" data-testid={`${testPrefix}-${venue}`} title={`Cancel every open order on ${account} at the venue and refuse new ones`} onClick={() => void setMode(account, "halt")}>
      <ModeBadge live /> Halt {account}
    </button>
  ) : (
    <button className="live-kill" data-testid={`${testPrefix}-${venue}`} data-mode={mode} title={`Back to normal trading on ${account}`} onClick={() => void setMode(account, "normal")}>
      <ModeBadge live /> {account} {mode === "halt" ? "halted" : "reduce-only"} · Resume
    </button>
  );
}

function Accounts(): React.JSX.Element {
  const accounts = useLive((s) => s.accounts);
  if (accounts.length === 0) return <Empty>No live account open. Deploy a strategy with “Deploy → Live” in the editor.</Empty>;
  return (
    <table className="trades live-table" data-testid="live-accounts-table">
      <thead><tr><th /><th>Account</th><th>Env</th><th>Balances</th><th>External orders</th><th>Kill switch</th></tr></thead>
      <tbody>
        {accounts.map((a) => (
          <tr key={a.id}>
            <td><ModeBadge live /></td><td>{a.id}</td><td>{a.env}</td>
            <td>{Object.entries(a.balances).filter(([, b]) => b.free + b.locked > 0).map(([k, b]) => `${k} ${num(b.free)}${b.locked > 0 ? ` (+${num(b.locked)})` : ""}`).join(" · ")}</td>
            <td>{a.external}</td><td><LiveKillSwitch account={a.id} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Sessions(): React.JSX.Element | null {
  const sessions = useLive((s) => s.sessions);
  const stop = useLive((s) => s.stop);
  if (sessions.length === 0) return null;
  return (
    <table className="trades live-table" data-testid="live-sessions-table">
      <thead><tr><th /><th>Strategy</th><th>Account</th><th>Symbol</th><th>TF</th><th>Version</th><th>Status</th><th>Bars</th><th>Orders</th><th>Position</th><th /></tr></thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id} data-testid="live-session-row" title={s.error ? escapeControls(s.error) : undefined}>
            <td><ModeBadge live /></td><td>{s.name}</td><td>{s.account} ({s.env})</td><td>{s.symbol}</td><td>{s.timeframe}</td><td>{s.version}</td>
            <td className={s.status === "failed" ? "down" : undefined}>{s.status}</td><td>{s.bars}</td><td>{s.orders}</td><td data-testid="live-session-position">{num(s.position)}</td>
            <td>{s.status === "running" ? <button onClick={() => void stop(s.id)}>Stop</button> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Orders(): React.JSX.Element | null {
  const orders = useLive((s) => s.orders);
  if (orders.length === 0) return null;
  return (
    <table className="trades live-table" data-testid="live-orders-table">
      <thead><tr><th /><th>Id</th><th>Account</th><th>Symbol</th><th>Side</th><th>Type</th><th>Size</th><th>Price</th><th>Filled</th><th>Status</th></tr></thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id}>
            <td><ModeBadge live /></td><td>{o.id}</td><td>{o.account}</td><td>{o.symbol}</td><td className={o.side === "buy" ? "up" : "down"}>{o.side}</td><td>{o.type}</td>
            <td>{num(o.size)}</td><td>{num(o.price)}</td><td>{num(o.filledSize)}</td><td title={o.reason ? escapeControls(o.reason) : undefined}>{o.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The live tab. */
export function LiveTab(): React.JSX.Element {
  const error = useLive((s) => s.error);
  return (
    <div className="live-box" data-testid="live-tab">
      {error ? <p className="error" role="alert">{escapeControls(error)}</p> : null}
      <Accounts />
      <Sessions />
      <Orders />
    </div>
  );
}
