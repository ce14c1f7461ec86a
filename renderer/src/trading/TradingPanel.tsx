/**
 * The Trading panel: the kill switch (always visible), positions with live P&L and each paper
 * account's Reset (asks first), open orders (cancel), fills, running paper strategies (stop) and a
 * manual order ticket for the chart's instrument (a click on a book level opens it at that price).
 * The live tab and every live account's kill switch are marked LIVE in red (./LiveTab.tsx).
 */
import { useEffect, useState } from "react";
import { fillLabel } from "../../../common/api/trading.ts";
import { escapeControls } from "../../../common/text/escape.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { useChart } from "../stores/chart.ts";
import { useTrading } from "../stores/trading.ts";
import { OrderTicket } from "./OrderTicket.tsx";
import { ResetAccounts } from "./ResetAccount.tsx";
import { SessionDetail } from "./SessionDetail.tsx";
import { useLive } from "../stores/live.ts";
import { LiveKillSwitch, LiveTab } from "./LiveTab.tsx";
import { ModeBadge } from "./LiveBadge.tsx";

type Tab = "positions" | "orders" | "fills" | "strategies" | "ticket" | "live";
const TABS: Tab[] = ["positions", "orders", "fills", "strategies", "ticket", "live"];

const num = (x: number | null) => (x === null ? "–" : (Math.round(x * 1e6) / 1e6).toLocaleString("en-US"));
const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** The kill switch: "Halt trading", or once halted / reduce-only, "Resume". */
export function KillSwitch({ testId = "kill-switch" }: { testId?: string }): React.JSX.Element {
  const mode = useTrading((s) => s.mode);
  const setMode = useTrading((s) => s.setMode);
  return mode === "normal" ? (
    <button className="danger" data-testid={testId} title="Cancel every open paper order and refuse new ones" onClick={() => void setMode("halt")}>
      <ModeBadge live={false} /> Halt trading
    </button>
  ) : (
    <button data-testid={testId} title="Back to normal paper trading" onClick={() => void setMode("normal")}>
      <ModeBadge live={false} /> {mode === "halt" ? "Halted" : "Reduce-only"} · Resume
    </button>
  );
}

function Positions(): React.JSX.Element {
  const positions = useTrading((s) => s.positions).filter((p) => p.size !== 0 || p.realizedPnl !== 0);
  if (positions.length === 0) return <><Empty>No paper positions yet.</Empty><ResetAccounts /></>;
  return (
    <>
    <ResetAccounts />
    <table className="trades" data-testid="positions-table">
      <thead><tr><th>Venue</th><th>Symbol</th><th>Ledger</th><th>Size</th><th>Avg</th><th>Last</th><th>Unrealized</th><th>Realized</th><th>Fees</th></tr></thead>
      <tbody>
        {positions.map((p) => (
          <tr key={`${p.account} ${p.ledger} ${p.symbol}`} className={p.account.startsWith("live:") ? "live-row" : undefined}>
            <td>{p.account.startsWith("live:") ? <><span className="live-badge" data-testid="position-live">LIVE</span> </> : null}{p.venue}</td><td>{p.symbol}</td><td>{p.ledger}</td><td>{num(p.size)}</td><td>{num(p.avgPrice)}</td><td>{num(p.last)}</td>
            <td className={p.unrealizedPnl >= 0 ? "up" : "down"}>{num(p.unrealizedPnl)}</td>
            <td className={p.realizedPnl >= 0 ? "up" : "down"}>{num(p.realizedPnl)}</td><td>{num(p.fees)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </>
  );
}

function Orders(): React.JSX.Element {
  const orders = useTrading((s) => s.orders);
  const cancel = useTrading((s) => s.cancel);
  if (orders.length === 0) return <Empty>No open orders.</Empty>;
  return (
    <table className="trades" data-testid="orders-table">
      <thead><tr><th /><th>Id</th><th>Symbol</th><th>Side</th><th>Type</th><th>Size</th><th>Price</th><th>Filled</th><th>Status</th><th /></tr></thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id}>
            <td><ModeBadge live={false} /></td><td>{o.id}</td><td>{o.symbol}</td><td className={o.side === "buy" ? "up" : "down"}>{o.side}</td><td>{o.type}</td>
            <td>{num(o.size)}</td><td>{num(o.price)}</td><td>{num(o.filledSize)}</td><td>{o.status}</td>
            <td><button onClick={() => void cancel(o.id)} aria-label={`Cancel ${o.id}`}>Cancel</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Fills(): React.JSX.Element {
  const fills = useTrading((s) => s.fills);
  if (fills.length === 0) return <Empty>No fills yet.</Empty>;
  return (
    <table className="trades" data-testid="fills-table">
      <thead><tr><th>Venue time</th><th>Order</th><th>Side</th><th>Size</th><th>Price</th><th>Fee</th><th>Liquidity</th></tr></thead>
      <tbody>
        {fills.map((f) => (
          <tr key={f.id}>
            <td>{time(f.venueTime)}</td><td>{f.orderId}</td><td className={f.side === "buy" ? "up" : "down"}>{f.side}</td>
            <td>{num(f.size)}</td><td>{num(f.price)}</td><td>{num(f.fee)}</td><td>{f.liquidity}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Strategies(): React.JSX.Element {
  const sessions = useTrading((s) => s.sessions);
  const stop = useTrading((s) => s.stop);
  const [selected, setSelected] = useState<string | null>(null);
  if (sessions.length === 0) return <Empty>No strategy on paper. Use “Deploy → Paper” in the editor.</Empty>;
  const shown = sessions.find((s) => s.id === selected) ?? sessions[0]!;
  return (
    <>
    <table className="trades" data-testid="sessions-table">
      <thead><tr><th /><th>Strategy</th><th>Venue</th><th>Symbol</th><th>TF</th><th>Fills</th><th>Status</th><th>Bars</th><th>Equity</th><th /></tr></thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id} title={s.error ? escapeControls(s.error) : undefined} onClick={() => setSelected(s.id)} aria-selected={s.id === shown.id}>
            <td><ModeBadge live={false} /></td><td>{s.name}</td><td>{s.venue}</td><td>{s.symbol}</td><td>{s.timeframe}</td><td data-testid="session-fill">{fillLabel(s.fill)}</td>
            <td className={s.status === "failed" ? "down" : undefined}>{s.status}</td><td>{s.bars}</td><td>{num(s.equity)}</td>
            <td>{s.status === "running" ? <button onClick={() => void stop(s.id)}>Stop</button> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
    <SessionDetail session={shown} />
    </>
  );
}

/** The last ticket request the panel switched to (it outlives the panel, which mounts per tab). */
let ticketSeqShown = 0;

/** The Trading panel. */
export function TradingPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const [tab, setTab] = useState<Tab>("positions");
  const error = useTrading((s) => s.error);
  const draftSeq = useTrading((s) => s.ticketDraft?.seq ?? 0);
  useEffect(() => {
    if (draftSeq > ticketSeqShown) {
      ticketSeqShown = draftSeq;
      setTab("ticket");
    }
  }, [draftSeq]);
  const instrument = useChart((s) => s.instrument);
  const liveAccounts = useLive((s) => s.accounts);
  const actions = (
    <>
      {liveAccounts.map((a) => <LiveKillSwitch key={a.id} account={a.id} testPrefix="panel-live-kill-switch" />)}
      <KillSwitch />
    </>
  );
  return (
    <Panel title={liveAccounts.length > 0 ? "Trading (paper + LIVE)" : "Trading (paper)"} area="trading" style={style} actions={actions}>
      <div role="tablist" className="tabs">
        {TABS.map((t) => (
          <button key={t} role="tab" data-testid={`trading-tab-${t}`} aria-selected={tab === t} className={[tab === t ? "active" : "", t === "live" ? "live-tab" : ""].join(" ").trim() || undefined} onClick={() => setTab(t)}>
            {t === "live" ? "LIVE" : t}
          </button>
        ))}
      </div>
      {error ? <p className="error" role="alert">{escapeControls(error)}</p> : null}
      {tab === "positions" ? <Positions /> : tab === "orders" ? <Orders /> : tab === "fills" ? <Fills /> : tab === "strategies" ? <Strategies /> : tab === "live" ? <LiveTab /> : <OrderTicket instrument={instrument} />}
    </Panel>
  );
}
