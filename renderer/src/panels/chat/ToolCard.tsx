/**
 * One tool call as a collapsible card: the SQL and its result table, the strategy code with its
 * compiler errors and an "Open in editor" button, the backtest metrics with "Show in results",
 * candle and symbol summaries, and sweep rankings. Everything shown came from local data and is
 * rendered as text, never as HTML.
 */
import { useState } from "react";
import type { ToolCallRecord, ToolResultView } from "../../../../common/api/assistant.ts";
import { figureOfMetric } from "../../lib/figures.ts";
import { describeSettings } from "../../results/describe.ts";
import { formatDateTime } from "../../lib/time.ts";
import { openStrategyInEditor, showBacktestInResults, useChat } from "./chat-store.ts";

const TITLES: Record<string, string> = {
  list_symbols: "List symbols",
  get_candles: "Candles",
  query_data: "SQL query",
  write_strategy: "Write strategy",
  run_backtest: "Backtest",
  run_sweep: "Parameter sweep",
};

const metricText = figureOfMetric;

function cell(value: unknown): string {
  if (value === null || value === undefined) return "∅";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** "cash 100,000 · commission 0.1 % · slippage 0 bps", as the results panel says it. */
function describeCosts(c: { cash: number; commission: number; slippageBps: number }): string {
  return describeSettings({ ...c, from: null, to: null }).replace(/ · all bars$/, "");
}

function MetricsGrid({ metrics }: { metrics: Record<string, number | null> }): React.JSX.Element {
  return (
    <dl className="chat-metrics">
      {Object.entries(metrics).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{metricText(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Table({ columns, rows }: { columns: string[]; rows: unknown[][] }): React.JSX.Element {
  return (
    <div className="chat-table-wrap">
      <table className="chat-table">
        <thead>
          <tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>{r.map((v, j) => <td key={j}>{cell(v)}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function act(work: () => Promise<void>): void {
  work().catch((err: unknown) => useChat.setState({ error: err instanceof Error ? err.message : String(err) }));
}

function ViewBody({ view, args }: { view: ToolResultView; args: Record<string, unknown> }): React.JSX.Element {
  switch (view.kind) {
    case "table":
      return (
        <>
          <pre className="chat-code">{view.sql || String(args.sql ?? "")}</pre>
          {view.columns.length > 0 ? <Table columns={view.columns} rows={view.rows} /> : null}
          {view.truncated ? <p className="hint">More rows exist than shown.</p> : null}
        </>
      );
    case "strategy":
      return (
        <>
          {view.diagnostics.length > 0 ? (
            <ul className="chat-diagnostics" data-testid="chat-diagnostics">
              {view.diagnostics.map((d, i) => <li key={i}>{`${d.line}:${d.column} ${d.message}`}</li>)}
            </ul>
          ) : null}
          <pre className="chat-code">{view.code}</pre>
          {view.version !== null ? (
            <button type="button" onClick={() => act(() => openStrategyInEditor(view.name))}>
              Open in editor
            </button>
          ) : null}
        </>
      );
    case "backtest":
      return (
        <>
          <p className="hint">{`${view.symbol} · ${view.timeframe} · ${view.bars} bars · ${view.trades} trades`}</p>
          {view.costs ? <p className="hint" data-testid="assistant-costs">{describeCosts(view.costs)}</p> : null}
          <MetricsGrid metrics={view.metrics} />
          {view.resultId ? (
            <button type="button" onClick={() => act(() => showBacktestInResults(view.resultId!, view.costs))}>
              Show in results
            </button>
          ) : null}
        </>
      );
    case "sweep":
      return (
        <Table
          columns={["params", "sharpe", "totalReturn", "error"]}
          rows={view.rows.slice(0, 50).map((r) => [JSON.stringify(r.params), metricText("sharpe", r.metrics?.sharpe ?? null), metricText("totalReturn", r.metrics?.totalReturn ?? null), r.error ?? ""])}
        />
      );
    case "candles":
      return (
        <>
          <p className="hint">{`${view.symbol} · ${view.timeframe} · ${view.bars} bars${view.first !== null ? ` · ${formatDateTime(view.first)} → ${formatDateTime(view.last ?? view.first)}` : ""}`}</p>
          <MetricsGrid metrics={view.stats} />
        </>
      );
    case "symbols":
      return <Table columns={["symbol", "venue"]} rows={view.symbols.map((s) => [s.symbol, s.venue])} />;
  }
}

function summary(call: ToolCallRecord): string {
  const v = call.view;
  if (call.ok === null) return "running…";
  if (!call.ok) return call.error ?? "failed";
  if (v?.kind === "strategy") return `saved ${v.name} v${v.version ?? "?"}`;
  if (v?.kind === "backtest") return `${v.strategy}: total return ${metricText("totalReturn", v.metrics.totalReturn ?? null)}`;
  if (v?.kind === "table") return `${v.rows.length} row${v.rows.length === 1 ? "" : "s"}`;
  return "done";
}

/** A tool call card: failures and backtests open until the user toggles it, others collapsed. */
export function ToolCard({ call }: { call: ToolCallRecord }): React.JSX.Element {
  const [chosen, setOpen] = useState<boolean | null>(null);
  const open = chosen ?? (call.ok === false || call.view?.kind === "backtest");
  const state = call.ok === null ? "running" : call.ok ? "ok" : "failed";
  return (
    <div className={`chat-tool chat-tool-${state}`} data-testid={`tool-${call.name}`} data-state={state}>
      <button type="button" className="chat-tool-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="chat-tool-title">{TITLES[call.name] ?? call.name}</span>
        <span className="chat-tool-summary">{summary(call)}</span>
      </button>
      {open ? (
        <div className="chat-tool-body">
          {call.view ? <ViewBody view={call.view} args={call.args} /> : <pre className="chat-code">{JSON.stringify(call.args, null, 2)}</pre>}
          {call.ok === false && call.error && call.view?.kind !== "strategy" ? <p className="error">{call.error}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
