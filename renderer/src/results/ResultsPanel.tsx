/**
 * Backtest results: run progress with Cancel, the failure reason, metrics cards (beside the
 * compared run's), what the run was made with (params, cash, costs, range), equity and drawdown,
 * and a sortable trades table — clicking a trade frames its entry to exit on the chart. "Past runs"
 * lists saved runs to reopen or compare (RunsDialog). A sweep is shown until
 * a single run's result arrives (with a heatmap when two params vary); "Back to sweep" returns to it.
 * A walk-forward or Monte Carlo opens the Robustness tab beside the results (docs/robustness.md).
 */
import { useEffect, useMemo, useState } from "react";
import type { Metrics } from "../../../common/strategy/results.ts";
import { figureCount, figureDuration, figureMoney, figurePrice, figureRatio, figureReturn, figureShare, figureTime, seriesDecimals } from "../lib/figures.ts";
import { formatNumber } from "../lib/format.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { useBacktest, type RunResult } from "../stores/backtest.ts";
import { describeParams, describeSettings } from "./describe.ts";
import { useChart } from "../stores/chart.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { useTimeZone } from "../stores/settings.ts";
import { EquityChart } from "./EquityChart.tsx";
import { SweepHeatmap } from "./SweepHeatmap.tsx";
import { SweepTable } from "./SweepTable.tsx";
import { RobustnessView, RunRobustness, SweepRobustness } from "./RobustnessView.tsx";
import { nextOrder, sortTrades, type SortOrder, type TradeColumn } from "./table.ts";

type MetricKey = keyof Metrics;
const CARDS: Array<[MetricKey, string, (v: number | null) => string]> = [
  ["totalReturn", "Total return", figureReturn],
  ["buyAndHoldReturn", "Buy & hold", figureReturn],
  ["cagr", "CAGR", figureReturn],
  ["sharpe", "Sharpe", figureRatio],
  ["sortino", "Sortino", figureRatio],
  ["maxDrawdown", "Max drawdown", figureShare],
  ["maxDrawdownDuration", "Max DD duration", figureDuration],
  ["winRate", "Win rate", figureShare],
  ["profitFactor", "Profit factor", figureRatio],
  ["exposure", "Exposure", figureShare],
  ["trades", "Trades", figureCount],
];

function MetricCards({ run, compare }: { run: RunResult; compare: RunResult | null }): React.JSX.Element {
  return (
    <div className="metrics" data-testid="metrics">
      {CARDS.map(([key, label, fmt]) => (
        <div key={key} className="metric" data-testid={`metric-${key}`}>
          <span className="metric-label">{label}</span>
          <span className="metric-value">{fmt(run.metrics[key])}</span>
          {compare ? <span className="metric-compare" title={compare.label}>{fmt(compare.metrics[key])}</span> : null}
        </div>
      ))}
    </div>
  );
}

const COLUMNS: Array<[TradeColumn, string]> = [
  ["entryTime", "Entry"], ["side", "Side"], ["size", "Size"], ["entryPrice", "Entry price"],
  ["exitTime", "Exit"], ["exitPrice", "Exit price"], ["pnl", "P&L"], ["fees", "Fees"],
];

/** The run's trades; a click (or Enter) opens the run's symbol and timeframe on the chart at that trade. */
function TradesTable({ run }: { run: RunResult }): React.JSX.Element {
  const trades = run.trades;
  const [order, setOrder] = useState<SortOrder>({ column: "entryTime", descending: false });
  const show = (t: RunResult["trades"][number]): void => useChart.getState().showTime({ venue: run.venue, symbol: run.symbol }, run.timeframe, t.entryTime, t.exitTime);
  const tz = useTimeZone();
  const rows = useMemo(() => sortTrades(trades, order), [trades, order]);
  const decimals = useMemo(() => seriesDecimals(trades.flatMap((t) => (t.exitPrice === null ? [t.entryPrice] : [t.entryPrice, t.exitPrice]))), [trades]);
  if (trades.length === 0) return <Empty>The strategy made no trades on this data.</Empty>;
  return (
    <table className="trades" data-testid="trades-table">
      <thead>
        <tr>
          {COLUMNS.map(([col, label]) => (
            <th key={col} aria-sort={order.column === col ? (order.descending ? "descending" : "ascending") : "none"}>
              <button type="button" onClick={() => setOrder(nextOrder(order, col))}>{label}{order.column === col ? (order.descending ? " ▼" : " ▲") : ""}</button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((t, i) => (
          <tr key={`${t.entryTime}-${i}`} data-testid="trade-row" tabIndex={0} onClick={() => show(t)} onKeyDown={(e) => e.key === "Enter" && show(t)}>
            <td>{figureTime(t.entryTime, run.timeframe, tz)}</td>
            <td className={t.side === "long" ? "up" : "down"}>{t.side}</td>
            <td>{formatNumber(t.size, 8)}</td>
            <td>{figurePrice(t.entryPrice, decimals)}</td>
            <td>{t.exitTime === null ? "open" : figureTime(t.exitTime, run.timeframe, tz)}</td>
            <td>{figurePrice(t.exitPrice, decimals)}</td>
            <td className={t.pnl >= 0 ? "up" : "down"}>{figureMoney(t.pnl)}</td>
            <td>{figureMoney(t.fees)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RunUsed({ run }: { run: RunResult }): React.JSX.Element {
  return (
    <p className="hint" data-testid="result-params">
      Ran with {describeParams(run.params)}
      {run.settings ? <> · {describeSettings(run.settings)}</> : null}
    </p>
  );
}

function RunStatus(): React.JSX.Element | null {
  const { run, cancel, notice } = useBacktest();
  if (notice !== null && run.kind !== "running") {
    return <p className="error" role="alert" data-testid="run-refused">Cannot run: {notice}</p>;
  }
  if (run.kind === "running") {
    const pct = run.total ? Math.min(100, (run.done / run.total) * 100) : null;
    return (
      <div className="run-progress" data-testid="run-progress">
        <progress max={100} value={pct ?? undefined} /> <span>{run.message}</span>
        <button type="button" data-testid="run-cancel" onClick={() => cancel?.()}>Cancel</button>
      </div>
    );
  }
  if (run.kind === "failed") {
    return (
      <div className="run-failed" role="alert" data-testid="run-failed">
        <strong>Backtest failed:</strong> {run.message}
        {run.diagnostics.length > 0 ? <ul>{run.diagnostics.map((d, i) => <li key={i}>line {d.line}:{d.column} {d.message}</li>)}</ul> : null}
      </div>
    );
  }
  return null;
}

/** The results panel. */
export function ResultsPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const { result, compare, setCompare, sweep, hiddenSweep, hideSweep, showSweep, robustness, setRobustness } = useBacktest();
  const showDialog = useDialogs((s) => s.show);
  const [tab, setTab] = useState<"results" | "robustness">("results");
  useEffect(() => setTab(robustness ? "robustness" : "results"), [robustness]);
  const title = result ? `Results · ${result.label}` : "Results";
  const actions = (
    <>
      <button type="button" data-testid="open-runs" onClick={() => showDialog("runs")}>Past runs</button>
      {robustness ? (
        <span className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === "results"} onClick={() => setTab("results")}>Results</button>
          <button type="button" role="tab" data-testid="robustness-tab" aria-selected={tab === "robustness"} onClick={() => setTab("robustness")}>Robustness</button>
          <button type="button" onClick={() => setRobustness(null)} title="Close the robustness result">×</button>
        </span>
      ) : null}
      {compare ? <button type="button" onClick={() => setCompare(null)} title={`Comparing with ${compare.label}`}>Hide comparison</button> : null}
      {sweep ? <button type="button" onClick={hideSweep}>Close sweep</button> : null}
      {!sweep && hiddenSweep ? <button type="button" data-testid="back-to-sweep" onClick={showSweep} title={hiddenSweep.label}>Back to sweep</button> : null}
    </>
  );
  return (
    <Panel title={title} area="results" style={style} actions={actions}>
      <RunStatus />
      {robustness && tab === "robustness" ? (
        <RobustnessView robustness={robustness} />
      ) : sweep ? (
        <div className="results">
          <h3 className="sub-title">{sweep.label}</h3>
          <SweepHeatmap sweep={sweep} />
          <SweepRobustness sweep={sweep} />
          <SweepTable sweep={sweep} />
        </div>
      ) : result ? (
        <div className="results">
          <RunUsed run={result} />
          {compare ? <p className="hint" data-testid="compare-label">Compared with {compare.label} (second figures, grey curve)</p> : null}
          <MetricCards run={result} compare={compare} />
          <EquityChart run={result} compare={compare} />
          <RunRobustness run={result} />
          <TradesTable run={result} />
        </div>
      ) : (
        <Empty>No backtest yet. Write or pick a strategy in the editor and press Ctrl+Enter to run it.</Empty>
      )}
    </Panel>
  );
}
