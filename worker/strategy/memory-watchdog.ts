/**
 * The hard cap behind the isolates' heap limits. isolated-vm stops an isolate over its limit at
 * the next interrupt check, but some built-ins allocate in native loops that never check
 * (`new Array(1e8).fill(0)` on a sparse array grew a worker past 1.4 GB under a 256 MB limit), and
 * the isolate's own heap statistics cannot be read while it runs. So while runs are active the
 * worker's resident memory is polled from the main thread (free while isolates run on their own
 * threads); past a ceiling every active run is told, and the worker retires (see `../retire.ts`).
 */

/** How often resident memory is read while a run is active. */
export const WATCH_INTERVAL_MS = 50;

/** Memory the process may use on top of twice the active runs' limits (engine, copies, buffers). */
export const CEILING_HEADROOM_MB = 128;

const MB = 1024 * 1024;

interface Watched {
  baseRss: number;
  limitMb: number;
  onBreach(alone: boolean, ceilingMb: number): void;
}

const watched = new Set<Watched>();
let timer: ReturnType<typeof setInterval> | null = null;
/** Where this thread's watches go instead of its own timer (null: watched here). */
let delegate: typeof watchMemory | null = null;

/** Sends every later {@link watchMemory} of this thread to `watch` (a thread whose timer may be blocked). */
export function delegateMemoryWatch(watch: typeof watchMemory): void {
  delegate = watch;
}

/** The resident-memory ceiling for the active runs: the lowest start point plus 2 × their limits and the headroom. */
function ceilingBytes(): number {
  let base = Number.POSITIVE_INFINITY;
  let limits = 0;
  for (const w of watched) {
    base = Math.min(base, w.baseRss);
    limits += w.limitMb;
  }
  return base + (2 * limits + CEILING_HEADROOM_MB) * MB;
}

function check(): void {
  const ceiling = ceilingBytes();
  if (process.memoryUsage.rss() <= ceiling) return;
  const breached = [...watched];
  watched.clear();
  stopTimer();
  for (const w of breached) w.onBreach(breached.length === 1, Math.round(ceiling / MB));
}

function stopTimer(): void {
  if (timer === null) return;
  clearInterval(timer);
  timer = null;
}

/**
 * Watches the process while one run (of an isolate limited to `limitMb`) is active; `onBreach`
 * is called once if resident memory passes the ceiling (`alone`: this was the only active run).
 * Returns the function that stops watching.
 */
export function watchMemory(limitMb: number, onBreach: Watched["onBreach"]): () => void {
  if (delegate) return delegate(limitMb, onBreach);
  const entry: Watched = { baseRss: process.memoryUsage.rss(), limitMb, onBreach };
  watched.add(entry);
  if (timer === null) {
    timer = setInterval(check, WATCH_INTERVAL_MS);
    timer.unref();
  }
  return () => {
    watched.delete(entry);
    if (watched.size === 0) stopTimer();
  };
}
