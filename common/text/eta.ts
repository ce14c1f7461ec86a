/**
 * Estimated time to completion of long runs (sweeps, walk-forwards), for the CLI's progress bar and
 * the progress messages core sends the UI. The pace counts only what finished after the first
 * report, so results reused from an earlier run (a re-attached queued sweep) do not make it look
 * faster than it is.
 */

/** Returns, for each report, the estimated ms left (null until something finished, and at the end). */
export function etaTracker(now: () => number = Date.now): (done: number, total: number) => number | null {
  let first: { at: number; done: number } | null = null;
  return (done, total) => {
    first ??= { at: now(), done };
    const worked = done - first.done;
    if (worked <= 0 || done >= total) return null;
    return ((now() - first.at) / worked) * (total - done);
  };
}

/** `42s`, `1m 05s` (at least one second). */
export function formatEta(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** A progress message with its ETA: `7/40 combinations, ETA 1m 05s`. */
export function progressMessage(unit: string): (done: number, total: number) => string {
  const eta = etaTracker();
  return (done, total) => {
    const left = eta(done, total);
    return `${done}/${total} ${unit}${left === null ? "" : `, ETA ${formatEta(left)}`}`;
  };
}
