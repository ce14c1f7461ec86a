/**
 * The Compute part of the settings: where core runs sweeps, walk-forwards and strategy screens —
 * its local worker pool, or `workstation worker`s through a Redis queue — with the chunk server's
 * address for workers on other machines, a connection test, the live workers and the runs on the
 * queue now (those re-attached after a core restart with their progress). Core never sends
 * a saved URL's password back (it shows `***`), so the URL field starts empty: typing a URL
 * replaces the saved one, leaving it empty keeps it.
 */
import { useEffect, useState } from "react";
import type { ComputeMode, ComputeSettingsView, ComputeTestResult, ComputeWorkerInfo, QueuedRunView } from "../../../common/api/compute.ts";
import { api } from "../stores/connection.ts";

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function secondsAgo(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 90 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

/** The live workers: host, pid, versions, concurrency, last heartbeat. */
function WorkerList({ workers }: { workers: ComputeWorkerInfo[] }): React.JSX.Element {
  if (workers.length === 0) return <p className="muted" data-testid="compute-workers">No live workers.</p>;
  return (
    <table className="venues" data-testid="compute-workers">
      <tbody>
        <tr className="muted"><td>Worker</td><td>Version</td><td>Engine</td><td>Concurrency</td><td>Last seen</td></tr>
        {workers.map((w) => (
          <tr key={`${w.host}:${w.pid}`} data-testid="compute-worker-row">
            <td>{w.host}:{w.pid}</td>
            <td>{w.version}</td>
            <td>{w.engineVersion}</td>
            <td>{w.concurrency}</td>
            <td>{secondsAgo(w.lastSeen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const RUN_NAMES: Record<QueuedRunView["method"], string> = { "strategy.sweep": "Sweep", "robustness.walkforward": "Walk-forward", "screen.run": "Strategy screen" };

/** The runs core is sending through the queue (refreshed every 2 s while shown); re-attached ones with their progress. */
function QueuedRuns(): React.JSX.Element | null {
  const [runs, setRuns] = useState<QueuedRunView[]>([]);
  useEffect(() => {
    const load = (): void => void api.call("compute.runs", {}).then(setRuns, () => undefined);
    load();
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, []);
  if (runs.length === 0) return null;
  return (
    <ul data-testid="compute-runs">
      {runs.map((r) => (
        <li key={`${r.method}:${r.startedAt}`} data-testid="compute-run">
          {RUN_NAMES[r.method]} on the queue, started {secondsAgo(r.startedAt)}
          {r.resumed ? ` — re-attached at start-up${r.message ? `: ${r.message}` : ""}` : ""}
        </li>
      ))}
    </ul>
  );
}

/** What the Test button found. */
function TestResult({ result }: { result: ComputeTestResult }): React.JSX.Element {
  if (!result.ok) return <p className="error" data-testid="compute-test-result">Not usable: {result.error}</p>;
  return (
    <div data-testid="compute-test-result">
      <p>Connected in {result.elapsedMs} ms{result.engineVersion ? `; the queue runs engine ${result.engineVersion}` : ""}; {result.workers.length} live worker{result.workers.length === 1 ? "" : "s"}.</p>
      {result.warning ? <p className="warn">{result.warning}</p> : null}
    </div>
  );
}

/** Mode, queue URL, chunk server address, Test and the worker list. */
export function ComputeSettings(): React.JSX.Element {
  const [view, setView] = useState<ComputeSettingsView | null>(null);
  const [mode, setMode] = useState<ComputeMode>("local");
  const [url, setUrl] = useState("");
  const [serveData, setServeData] = useState("");
  const [advertise, setAdvertise] = useState("");
  const [chunksDir, setChunksDir] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<ComputeTestResult | null>(null);
  const show = (v: ComputeSettingsView): void => {
    setView(v);
    setMode(v.mode);
    setServeData(v.serveData ?? "");
    setAdvertise(v.advertise ?? "");
    setChunksDir(v.chunksDir ?? "");
  };
  useEffect(() => {
    api.call("compute.settings.get", {}).then(show, (err: unknown) => setError(message(err)));
  }, []);
  const save = (): void => {
    const patch = { mode, ...(url.trim() ? { url: url.trim() } : {}), serveData: serveData.trim() || null, advertise: advertise.trim() || null, chunksDir: chunksDir.trim() || null };
    api.call("compute.settings.set", patch).then(
      (v) => {
        show(v);
        setUrl("");
        setError(null);
        setSaved(true);
      },
      (err: unknown) => setError(message(err)),
    );
  };
  const test = (): void => {
    setTesting(true);
    api
      .call("compute.test", url.trim() ? { url: url.trim() } : {})
      .then(setResult, (err: unknown) => setError(message(err)))
      .finally(() => setTesting(false));
  };
  const pick = (m: ComputeMode): void => {
    setMode(m);
    setSaved(false);
  };
  const edited = (f: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    f(e.target.value);
    setSaved(false);
  };
  return (
    <section data-testid="compute-settings">
      <h3>Compute</h3>
      <p className="hint">Where sweeps, walk-forwards and strategy screens run. A queue sends them to <code>workstation worker</code>s on other machines through Redis (see docs/scale-out.md).</p>
      {error ? <p className="error" data-testid="compute-error">{error}</p> : null}
      <label className="field">
        <input type="radio" name="compute-mode" data-testid="compute-mode-local" checked={mode === "local"} onChange={() => pick("local")} /> This computer's worker pool
      </label>
      <label className="field">
        <input type="radio" name="compute-mode" data-testid="compute-mode-queue" checked={mode === "queue"} onChange={() => pick("queue")} /> A queue (Redis)
      </label>
      <label className="field">
        Queue URL
        <input data-testid="compute-url" autoComplete="off" placeholder={view?.url ?? "redis://HOST:6379 or rediss://user:pass@HOST:6380"} value={url} onChange={edited(setUrl)} style={{ width: 340 }} />
      </label>
      {view?.credentials ? <p className="hint">The saved URL's credentials are in the OS keychain; type a URL to replace it.</p> : null}
      <label className="field">
        Serve data on
        <input data-testid="compute-serve-data" placeholder="127.0.0.1 (any free port)" value={serveData} onChange={edited(setServeData)} />
      </label>
      <label className="field">
        Advertise URL
        <input data-testid="compute-advertise" placeholder="the bound address" value={advertise} onChange={edited(setAdvertise)} />
      </label>
      <label className="field">
        Chunk folder
        <input data-testid="compute-chunks-dir" placeholder="none (HTTP only)" value={chunksDir} onChange={edited(setChunksDir)} />
      </label>
      <div className="field">
        <button type="button" data-testid="compute-save" onClick={save}>Save</button>
        <button type="button" data-testid="compute-test" disabled={testing} onClick={test}>{testing ? "Testing…" : "Test"}</button>
        {saved ? <span className="muted" data-testid="compute-saved">Saved</span> : null}
      </div>
      {result ? <TestResult result={result} /> : null}
      {result?.ok ? <WorkerList workers={result.workers} /> : null}
      <QueuedRuns />
    </section>
  );
}
