/**
 * Past runs: the saved runs, newest first (strategy, symbol, timeframe, date, total return). Open
 * shows a run's results in the results panel; ticking two and Compare shows the first beside the
 * second (metrics side by side, equity curves overlaid). Sweeps and failed runs are listed but
 * cannot be opened as a single result.
 */
import { useEffect, useState } from "react";
import type { SavedRunSummary } from "../../../common/strategy/results.ts";
import { Modal } from "../app/Modal.tsx";
import { figureReturn } from "../lib/figures.ts";
import { formatDateTime } from "../lib/time.ts";
import { api } from "../stores/connection.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { useTimeZone } from "../stores/settings.ts";
import { compareSavedRuns, openSavedRun } from "./saved-runs.ts";

const opensAsResult = (r: SavedRunSummary): boolean => r.kind === "backtest" && r.status === "done";

function RunRow({ run, picked, toggle, open }: { run: SavedRunSummary; picked: boolean; toggle: () => void; open: () => void }): React.JSX.Element {
  const tz = useTimeZone();
  const usable = opensAsResult(run);
  return (
    <tr data-testid="saved-run" data-run-id={run.id}>
      <td><input type="checkbox" aria-label={`Compare run #${run.id}`} checked={picked} disabled={!usable} onChange={toggle} /></td>
      <td className="muted">#{run.id}</td>
      <td>{run.strategyName}</td>
      <td>{run.symbol ?? "—"}</td>
      <td>{run.timeframe ?? "—"}</td>
      <td>{formatDateTime(run.startedAt, tz, false)}</td>
      <td data-testid="saved-run-return">{usable ? figureReturn(run.totalReturn) : run.kind === "sweep" ? "sweep" : run.status}</td>
      <td>{usable ? <button type="button" data-testid="saved-run-open" onClick={open}>Open</button> : null}</td>
    </tr>
  );
}

/** The past runs dialog. */
export function RunsDialog(): React.JSX.Element {
  const close = useDialogs((s) => s.close);
  const [runs, setRuns] = useState<SavedRunSummary[] | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call("strategy.runs", { limit: 200 }).then(setRuns, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  const act = (work: Promise<void>): void => void work.then(close, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  const toggle = (id: number): void => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  return (
    <Modal title="Past runs" testId="runs-dialog" wide>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {runs === null ? <p>Loading…</p> : runs.length === 0 ? <p>No saved runs yet.</p> : (
        <div className="runs-list">
          <table className="trades" data-testid="runs-table">
            <thead><tr><th /><th>Run</th><th>Strategy</th><th>Symbol</th><th>TF</th><th>Date</th><th>Total return</th><th /></tr></thead>
            <tbody>
              {runs.map((r) => <RunRow key={r.id} run={r} picked={picked.includes(r.id)} toggle={() => toggle(r.id)} open={() => act(openSavedRun(r.id))} />)}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <button type="button" data-testid="runs-compare" disabled={picked.length !== 2} onClick={() => act(compareSavedRuns(picked[0]!, picked[1]!))}>
          Compare the two ticked
        </button>
      </p>
    </Modal>
  );
}
