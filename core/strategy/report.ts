/** Human-readable output of backtests and sweeps for the CLI. */
import type { BacktestResult, Metrics } from "../../common/strategy/results.ts";
import { SWEEP_SORT_KEYS, type SweepRow, type SweepSortKey } from "../../common/strategy/sweep.ts";
import { escapeControls } from "../../common/text/escape.ts";

const pct = (x: number | null): string => (x === null ? "n/a" : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null, d = 2): string => (x === null ? "n/a" : x.toFixed(d));

function duration(ms: number | null): string {
  if (ms === null) return "n/a";
  const days = ms / 86_400_000;
  return days >= 1 ? `${days.toFixed(1)} days` : `${(ms / 3_600_000).toFixed(1)} hours`;
}

/** A few lines summarising a backtest. */
export function formatSummary(r: Pick<BacktestResult, "bars" | "trades" | "finalEquity" | "cash" | "metrics" | "engineMs">, startCash: number): string {
  const m = r.metrics;
  const open = r.trades.filter((t) => t.exitTime === null).length;
  const rows: [string, string][] = [
    ["bars", String(r.bars)],
    ["trades", `${m.trades}${open > 0 ? ` (${open} still open)` : ""}`],
    ["start cash", num(startCash)],
    ["final equity", num(r.finalEquity)],
    ["final cash", num(r.cash)],
    ["total return", pct(m.totalReturn)],
    ["buy & hold", pct(m.buyAndHoldReturn)],
    ["CAGR", pct(m.cagr)],
    ["Sharpe", num(m.sharpe)],
    ["Sortino", num(m.sortino)],
    ["max drawdown", pct(m.maxDrawdown)],
    ["max DD duration", duration(m.maxDrawdownDuration)],
    ["win rate", pct(m.winRate)],
    ["profit factor", num(m.profitFactor)],
    ["exposure", pct(m.exposure)],
    ["engine time", `${r.engineMs} ms`],
  ];
  return rows.map(([k, v]) => `${k.padEnd(16)} ${v}`).join("\n");
}

/** Sort keys of a sweep table (defined beside the sweep types, shared with the UI). */
export { SWEEP_SORT_KEYS, type SweepSortKey };

/** Rows sorted best first by `key` (max drawdown: smallest first); failed rows last. */
export function sortRows(rows: SweepRow[], key: SweepSortKey): SweepRow[] {
  const value = (r: SweepRow): number => {
    if (!r.ok) return Number.NEGATIVE_INFINITY;
    const v = r.metrics[key as keyof Metrics];
    if (v === null) return Number.NEGATIVE_INFINITY;
    return key === "maxDrawdown" ? -v : v;
  };
  return rows.slice().sort((a, b) => value(b) - value(a) || a.index - b.index);
}

/** The sweep as an aligned text table. */
export function formatSweepTable(rows: SweepRow[], withHoldout: boolean): string {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const head = [...names, "return", "sharpe", "maxDD", "trades", ...(withHoldout ? ["OOS return", "OOS sharpe", "OOS maxDD"] : []), "error"];
  const body = rows.map((r) => {
    const p = names.map((n) => String(r.params[n] ?? ""));
    if (!r.ok) return [...p, "", "", "", "", ...(withHoldout ? ["", "", ""] : []), escapeControls(r.error).slice(0, 80)];
    const o = r.outOfSample;
    return [
      ...p,
      pct(r.metrics.totalReturn),
      num(r.metrics.sharpe),
      pct(r.metrics.maxDrawdown),
      String(r.metrics.trades),
      ...(withHoldout ? [pct(o?.totalReturn ?? null), num(o?.sharpe ?? null), pct(o?.maxDrawdown ?? null)] : []),
      "",
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
