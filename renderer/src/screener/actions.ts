/**
 * What the Screener panel does through the API client: read the saved universes and the SQL
 * schema, run a screen (a strategy screen first reads the chosen saved strategy's source; progress
 * and a cancel that aborts the call, which stops core's workers), watch a column screen live (a
 * refresh on every bar close, rank changes highlighted, a notification when a symbol enters the
 * top N), save the form as an alert rule that runs in core (a symbol entering the top N), show the
 * commands that sweep or walk-forward a strategy on the universe, and make a demo universe. State lives in the screener store.
 */
import type { ScreenResult, ScreenUpdate } from "../../../common/api/screener.ts";
import { api } from "../stores/connection.ts";
import { useAlerts } from "../stores/alerts.ts";
import { rankMoves, screenAlertRule, screenRequest, universeRunCommands, updateResult, useScreener, watchRequest, type ScreenForm } from "../stores/screener.ts";

let running: AbortController | null = null;
let stopWatch: (() => void) | null = null;

function failed(err: unknown): void {
  useScreener.setState({ run: { kind: "failed", message: err instanceof Error ? err.message : String(err) } });
}

/** Reads the saved universes into the picker (a failure leaves it as it is: a typed name or list still works). */
export async function loadUniverses(): Promise<void> {
  try {
    useScreener.setState({ universes: await api.call("universe.list", {}) });
  } catch {
    // The picker still takes a typed name or list.
  }
}

/** Reads the SQL schema once (the SQL editor shows it). */
export async function loadSchema(): Promise<void> {
  if (useScreener.getState().schema) return;
  try {
    useScreener.setState({ schema: await api.call("screen.schema", {}) });
  } catch {
    // The editor works without it; the next switch to SQL asks again.
  }
}

/** Rank moves against the previous result when it ranked the same columns (another screen's ranking is no "before"). */
function movesSince(before: ScreenResult | null, after: ScreenResult): Record<string, number | null> {
  return before && before.columns.join() === after.columns.join() ? rankMoves(before.rows, after.rows) : {};
}

async function requestOf(form: ScreenForm): Promise<ReturnType<typeof screenRequest>> {
  if (form.mode !== "strategy") return screenRequest(form);
  if (form.strategyId === null) throw new Error("choose a saved strategy");
  const saved = await api.call("ui.strategies.get", { id: form.strategyId });
  return screenRequest(form, { source: saved.source, filename: `${saved.name.replace(/[^\w.-]+/g, "_") || "strategy"}.ts` });
}

/** Runs the form's screen (or, for a live column screen, starts watching it). */
export async function runScreen(): Promise<void> {
  running?.abort();
  stopLive();
  const { form } = useScreener.getState();
  if (form.mode === "columns" && form.live) {
    startLive(form);
    return;
  }
  const abort = new AbortController();
  running = abort;
  useScreener.setState({ run: { kind: "running", message: "screening…" } });
  try {
    const req = await requestOf(form);
    const result = await api.call("screen.run", req, {
      signal: abort.signal,
      onProgress: (p) => useScreener.setState({ run: { kind: "running", message: p.message ?? `${p.done}`, done: p.done, ...(p.total !== undefined ? { total: p.total } : {}) } }),
    });
    useScreener.setState({ result, moves: movesSince(useScreener.getState().result, result), run: { kind: "idle" } });
  } catch (err) {
    if (abort.signal.aborted) useScreener.setState({ run: { kind: "idle" } });
    else failed(err);
  } finally {
    if (running === abort) running = null;
  }
}

/** Cancels the running screen: the call is aborted and core stops its workers. */
export function cancelScreen(): void {
  running?.abort();
}

function notifyEntry(update: ScreenUpdate, top: number): void {
  const symbols = (update.entered ?? []).map((m) => m.symbol);
  if (symbols.length === 0) return;
  useScreener.setState({ entry: { at: update.at, top, symbols } });
  if (typeof Notification !== "undefined" && Notification.permission === "granted") {
    new Notification(`Screener: entered the top ${top}`, { body: symbols.join(", "), tag: "screener-top" });
  }
}

function startLive(form: ScreenForm): void {
  let req: ReturnType<typeof watchRequest>;
  try {
    req = watchRequest(form);
  } catch (err) {
    failed(err);
    return;
  }
  if (req.alertTop !== undefined && typeof Notification !== "undefined" && Notification.permission === "default") void Notification.requestPermission();
  const started = performance.now();
  useScreener.setState({ run: { kind: "idle" }, entry: null });
  stopWatch = api.subscribe("screen.watch", req, {
    onEvent: (update) => {
      const result = updateResult(update, Math.round(performance.now() - started));
      useScreener.setState({ result, moves: movesSince(useScreener.getState().result, result), liveAt: update.at });
      if (req.alertTop !== undefined) notifyEntry(update, req.alertTop);
    },
    onEnd: (err) => {
      stopLive();
      if (err) failed(err);
    },
  });
}

/** Stops a live screen. */
export function stopLive(): void {
  stopWatch?.();
  stopWatch = null;
  useScreener.setState({ liveAt: null });
}

/** Writes a 100-symbol synthetic universe to the store and selects it. */
export async function makeDemoUniverse(): Promise<void> {
  useScreener.setState({ run: { kind: "running", message: "writing a synthetic universe…" } });
  try {
    const made = await api.call("universe.synthetic", { symbols: 100, bars: 1000, timeframe: "1h" });
    useScreener.getState().edit({ universe: made.name, timeframe: "1h" });
    await loadUniverses();
    useScreener.setState({ run: { kind: "idle" } });
  } catch (err) {
    failed(err);
  }
}

/** Saves the column-screen form as an alert rule in core ("Alert when a symbol enters the top N"). */
export async function saveScreenAlert(): Promise<void> {
  try {
    const rule = screenAlertRule(useScreener.getState().form);
    const row = await api.call("alerts.add", { rule });
    const c = row.rule.condition;
    const top = c.type === "screen" ? c.top : 0;
    useScreener.setState({ notice: `alert ${row.rule.id} saved: core notifies when a symbol enters the top ${top} on each ${row.rule.timeframe} bar close, with every window closed (Alerts tab)` });
    void useAlerts.getState().refresh();
  } catch (err) {
    useScreener.setState({ notice: null });
    failed(err);
  }
}

/** Shows the command lines that sweep and walk-forward a strategy on each member of the form's universe. */
export function showUniverseRuns(): void {
  try {
    useScreener.setState({ notice: `Run a strategy on each member of this universe:\n${universeRunCommands(useScreener.getState().form).join("\n")}` });
  } catch (err) {
    failed(err);
  }
}
