/**
 * The Robustness tab: a walk-forward's fold table, stitched out-of-sample equity and efficiency;
 * a Monte Carlo's percentiles and fan chart (5th–95th percentile band and median of equity); and
 * the one-line DSR/PBO reading of a sweep ("likely overfit: PBO 0.62").
 */
import type { MonteCarloResult } from "../../../common/robustness/montecarlo.ts";
import { overfittingLine, type OverfittingFigures } from "../../../common/robustness/reading.ts";
import type { WalkForwardResult } from "../../../common/robustness/walkforward.ts";
import { formatNumber, formatPercent } from "../lib/format.ts";
import { formatDateTime } from "../lib/time.ts";
import { useTimeZone } from "../stores/settings.ts";
import { runMonteCarlo, runWalkForward } from "../editor/run.ts";
import { useBacktest, type RobustnessResult, type RunResult, type SweepResult } from "../stores/backtest.ts";
import { bandPath, linePaths, thin } from "./lines.ts";

const W = 600;
const H = 160;

/** A small SVG chart: a shaded band between the first two series (when `band`) and every series as a line. */
function LinesChart({ series, band, testId }: { series: number[][]; band: boolean; testId: string }): React.JSX.Element {
  const { paths, min, max } = linePaths(series, W, H);
  const area = band && paths.length >= 2 ? bandPath(paths[0]!, paths[1]!) : null;
  return (
    <figure className="robustness-chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`from ${formatNumber(min)} to ${formatNumber(max)}`}>
        {area ? <path d={area} className="band" /> : null}
        {paths.map((d, i) => <path key={i} d={d} className={i === paths.length - 1 || !band ? "line main" : "line"} />)}
      </svg>
      <figcaption className="hint">{formatNumber(min)} – {formatNumber(max)}</figcaption>
    </figure>
  );
}

function WalkForwardView({ result }: { result: WalkForwardResult }): React.JSX.Element {
  const tz = useTimeZone();
  const m = result.stitched.metrics;
  const s = result.stability;
  return (
    <div data-testid="walkforward-view">
      <table className="trades" data-testid="fold-table">
        <thead>
          <tr><th>Fold</th><th>Out of sample</th><th>Params</th><th>IS return</th><th>OOS return</th><th>OOS Sharpe</th><th>Efficiency</th></tr>
        </thead>
        <tbody>
          {result.folds.map((f, i) => (
            <tr key={i} data-testid="fold-row">
              <td>{i + 1}</td>
              <td>{formatDateTime(f.outOfSample.from, tz)} – {formatDateTime(f.outOfSample.to, tz)}</td>
              <td>{f.params ? Object.entries(f.params).map(([k, v]) => `${k}=${String(v)}`).join(" ") : <span className="down">{f.error ?? "no result"}</span>}</td>
              <td>{formatPercent(f.inSampleMetrics?.totalReturn ?? null)}</td>
              <td>{formatPercent(f.outOfSample.metrics?.totalReturn ?? null)}</td>
              <td>{formatNumber(f.outOfSample.metrics?.sharpe ?? null)}</td>
              <td>{formatNumber(f.efficiency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint" data-testid="walkforward-summary">
        Stitched out of sample: return {formatPercent(m.totalReturn)}, Sharpe {formatNumber(m.sharpe)}, max drawdown {formatPercent(m.maxDrawdown, false)} ·
        efficiency {formatNumber(result.efficiency)} · params changed {s.changes} of {s.comparisons} times
      </p>
      <LinesChart series={[thin(result.stitched.equity, 600)]} band={false} testId="stitched-chart" />
    </div>
  );
}

function MonteCarloView({ result }: { result: MonteCarloResult }): React.JSX.Element {
  const rows: Array<[string, MonteCarloResult["finalEquity"], (v: number | null) => string]> = [
    ["Final equity", result.finalEquity, (v) => formatNumber(v)],
    ["Max drawdown", result.maxDrawdown, (v) => formatPercent(v, false)],
    ["CAGR", result.cagr, (v) => formatPercent(v)],
  ];
  return (
    <div data-testid="montecarlo-view">
      <p className="hint">{result.method} · {result.runs} runs · seed {result.seed}</p>
      <table className="trades" data-testid="montecarlo-table">
        <thead><tr><th /><th>5th</th><th>50th</th><th>95th</th></tr></thead>
        <tbody>
          {rows.map(([label, p, fmt]) => <tr key={label}><td>{label}</td><td>{fmt(p.p5)}</td><td>{fmt(p.p50)}</td><td>{fmt(p.p95)}</td></tr>)}
        </tbody>
      </table>
      <LinesChart series={[result.fan.map((f) => f.p5), result.fan.map((f) => f.p95), result.fan.map((f) => f.p50)]} band testId="fan-chart" />
    </div>
  );
}

/** The DSR/PBO reading under a sweep. */
export function OverfittingReading({ figures }: { figures: OverfittingFigures & { holdoutLooks: number } }): React.JSX.Element {
  const warn = figures.holdoutLooks > 1 || (figures.pbo !== null && figures.pbo >= 0.5);
  return <p className={warn ? "hint down" : "hint"} data-testid="overfitting-reading">{overfittingLine(figures, figures.holdoutLooks)}</p>;
}

/** Under a sweep: its DSR/PBO reading and a walk-forward of the same grid. */
export function SweepRobustness({ sweep }: { sweep: SweepResult }): React.JSX.Element {
  const running = useBacktest((s) => s.run.kind === "running");
  const grid = sweep.grid;
  return (
    <div className="robustness-actions">
      {sweep.figures ? <OverfittingReading figures={sweep.figures} /> : null}
      {grid ? (
        <button type="button" data-testid="run-walkforward" disabled={running} onClick={() => void runWalkForward(sweep.request, grid, 4)} title="4 rolling folds, in-sample 3x out-of-sample, best Sharpe">
          Walk-forward (4 folds)
        </button>
      ) : null}
    </div>
  );
}

/** Under a single run: Monte Carlo of the same run. */
export function RunRobustness({ run }: { run: RunResult }): React.JSX.Element | null {
  const running = useBacktest((s) => s.run.kind === "running");
  const request = run.request;
  if (!request) return null;
  return (
    <div className="robustness-actions">
      <span className="hint">Monte Carlo (1000 runs):</span>
      {(["shuffle", "skip", "bootstrap", "costs"] as const).map((m) => (
        <button key={m} type="button" data-testid={`run-montecarlo-${m}`} disabled={running} onClick={() => void runMonteCarlo(request, m)}>{m}</button>
      ))}
    </div>
  );
}

/** The Robustness tab's content. */
export function RobustnessView({ robustness }: { robustness: RobustnessResult }): React.JSX.Element {
  return (
    <div className="results">
      <h3 className="sub-title">{robustness.label}</h3>
      {robustness.kind === "walkforward" ? <WalkForwardView result={robustness.result} /> : <MonteCarloView result={robustness.result} />}
    </div>
  );
}
