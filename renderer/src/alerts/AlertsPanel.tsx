/**
 * The Alerts panel: the rules (pause or resume, edit as JSON, delete) and the fire log — the
 * source of truth kept by core — with filters by rule, text, late fires and failed webhooks.
 */
import { useEffect, useMemo, useState } from "react";
import type { AlertRuleRow } from "../../../common/api/alerts.ts";
import { describeCondition } from "../../../common/alerts/rule-runner.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { askNotificationPermission, useAlerts } from "../stores/alerts.ts";
import { useConnection } from "../stores/connection.ts";
import { filterLog, type LogFilter } from "./alert-rules.ts";

function RuleEditor({ row, onDone }: { row: AlertRuleRow; onDone: () => void }): React.JSX.Element {
  const [text, setText] = useState(() => JSON.stringify(row.rule, null, 2));
  const [error, setError] = useState<string | null>(null);
  const save = async (): Promise<void> => {
    let rule: unknown;
    try {
      rule = JSON.parse(text);
    } catch {
      return setError("not valid JSON");
    }
    const failed = await useAlerts.getState().add(rule);
    if (failed) setError(failed);
    else onDone();
  };
  return (
    <div className="alert-edit" data-testid="alert-edit">
      <textarea aria-label={`Rule ${row.rule.id}`} value={text} rows={10} spellCheck={false} onChange={(e) => setText(e.target.value)} />
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="row-actions">
        <button type="button" onClick={() => void save()}>Save</button>
        <button type="button" onClick={onDone}>Cancel</button>
      </div>
    </div>
  );
}

function RuleRow({ row }: { row: AlertRuleRow }): React.JSX.Element {
  const [editing, setEditing] = useState(false);
  const { setPaused, remove } = useAlerts.getState();
  const r = row.rule;
  return (
    <li className="alert-rule" data-testid={`alert-rule-${r.id}`} data-paused={row.paused !== null}>
      <div className="alert-rule-line">
        <strong>{r.id}</strong>
        <span>{r.symbol} · {r.timeframe} · {r.venue}</span>
        <span>{describeCondition(r.condition)}</span>
        <span className="muted">{r.frequency.replaceAll("_", " ")}</span>
        <span className={row.paused ? "warn" : "muted"}>{row.paused ?? (row.firedOnce && r.frequency === "once" ? "fired" : "active")}</span>
        <span className="row-actions">
          <button type="button" onClick={() => void setPaused(r.id, row.paused === null)}>{row.paused === null ? "Pause" : "Resume"}</button>
          <button type="button" onClick={() => setEditing((v) => !v)}>Edit</button>
          <button type="button" onClick={() => void remove(r.id)}>Delete</button>
        </span>
      </div>
      {editing ? <RuleEditor row={row} onDone={() => setEditing(false)} /> : null}
    </li>
  );
}

function Rules(): React.JSX.Element {
  const rules = useAlerts((s) => s.rules);
  if (rules.length === 0) return <Empty testId="alerts-empty">No alerts. Right-click a price on the chart to add one, or use "Alert on signals" in the strategy editor.</Empty>;
  return <ul className="alert-list">{rules.map((row) => <RuleRow key={row.rule.id} row={row} />)}</ul>;
}

function Log(): React.JSX.Element {
  const { log, rules } = useAlerts();
  const [filter, setFilter] = useState<LogFilter>({ rule: "", text: "", lateOnly: false, failedOnly: false });
  const shown = useMemo(() => filterLog(log, filter), [log, filter]);
  const patch = (p: Partial<LogFilter>): void => setFilter((f) => ({ ...f, ...p }));
  return (
    <div className="alert-log">
      <div className="alert-filters">
        <select aria-label="Rule" value={filter.rule} onChange={(e) => patch({ rule: e.target.value })}>
          <option value="">All rules</option>
          {rules.map((r) => <option key={r.rule.id} value={r.rule.id}>{r.rule.id}</option>)}
        </select>
        <input aria-label="Search messages" placeholder="Search" value={filter.text} onChange={(e) => patch({ text: e.target.value })} />
        <label><input type="checkbox" checked={filter.lateOnly} onChange={(e) => patch({ lateOnly: e.target.checked })} /> late</label>
        <label><input type="checkbox" checked={filter.failedOnly} onChange={(e) => patch({ failedOnly: e.target.checked })} /> failed webhooks</label>
      </div>
      {shown.length === 0 ? <Empty>No fires.</Empty> : (
        <table className="alert-table" data-testid="alert-log">
          <tbody>
            {shown.map((e) => (
              <tr key={e.key}>
                <td>{new Date(e.time).toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>{e.rule}</td>
                <td>{e.message}</td>
                <td className={e.lateMs === null ? "" : "warn"}>{e.lateMs === null ? "" : `late ${Math.round(e.lateMs / 1000)} s`}</td>
                <td className="muted">{e.deliveries.map((d) => `${d.channel}: ${d.status}${d.error ? ` (${d.error})` : ""}`).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The Alerts panel. */
export function AlertsPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const [tab, setTab] = useState<"rules" | "log">("rules");
  const error = useAlerts((s) => s.error);
  const reconnects = useConnection((s) => s.reconnects);
  useEffect(() => void useAlerts.getState().refresh(), [reconnects]);
  const canAsk = typeof Notification !== "undefined" && Notification.permission === "default";
  const actions = (
    <>
      <button type="button" aria-pressed={tab === "rules"} onClick={() => setTab("rules")}>Rules</button>
      <button type="button" aria-pressed={tab === "log"} onClick={() => setTab("log")}>Log</button>
      {canAsk ? <button type="button" onClick={askNotificationPermission}>Notify me</button> : null}
    </>
  );
  return (
    <Panel title="Alerts" area="alerts" style={style} actions={actions}>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {tab === "rules" ? <Rules /> : <Log />}
    </Panel>
  );
}
