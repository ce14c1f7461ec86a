/**
 * The Screener panel's state: the form (universe, timeframe, columns, SQL or a saved strategy with
 * its range, holdout and metric; filter, sort; live refresh and its top-N alert), the saved
 * universes, the SQL schema, the running screen (progress, cancel), its result with each row's rank
 * change since the previous run or refresh (for highlighting), the last top-N entry, and which tab
 * the bottom area shows (backtest results, the screener, alerts or paper trading). The request
 * building, rank moves and cell formatting are pure, for tests.
 */
import { create } from "zustand";
import type { ScreenResult, ScreenSchema, ScreenUpdate, UniverseSummary } from "../../../common/api/screener.ts";
import type { ParamsIn } from "../../../common/api/index.ts";
import type { Timeframe } from "../../../common/market/bars.ts";
import { dayRange, numberField } from "../editor/form.ts";
import { DEFAULT_COLUMNS } from "../../../common/screener/columns.ts";
import { rankChanges, type RankChange, type ScreenRow } from "../../../common/screener/rank.ts";

/** What the form holds. */
export interface ScreenForm {
  universe: string;
  timeframe: Timeframe;
  mode: "columns" | "sql" | "strategy";
  columns: string;
  sql: string;
  /** Strategy screens: the saved strategy's id (null: none chosen). */
  strategyId: number | null;
  /** Strategy screens: the metric ranked by. */
  metric: string;
  /** Strategy screens: the out-of-sample fraction, as typed ("" or "0": none). */
  holdout: string;
  /** The range, UTC days `YYYY-MM-DD`, both inclusive (as the backtest form's), or "" for open. */
  from: string;
  to: string;
  filter: string;
  sort: string;
  /** Column screens: refresh on every bar close. */
  live: boolean;
  /** Column screens: notify when a symbol enters the top this many ("" or 0: no alert); live in the window, or as a saved alert rule. */
  alertTop: string;
}

/** The screen being run: symbols done of total once a strategy screen reports progress. */
export type ScreenRunState = { kind: "idle" } | { kind: "running"; message: string; done?: number; total?: number } | { kind: "failed"; message: string };

/** The last top-N entry a live screen reported. */
export interface ScreenEntryNote {
  at: number;
  top: number;
  symbols: string[];
}

/** The Screener store. */
export interface ScreenerState {
  view: "results" | "screener" | "alerts" | "trading";
  form: ScreenForm;
  universes: UniverseSummary[];
  run: ScreenRunState;
  result: ScreenResult | null;
  /** Rank movement per `venue:symbol` since the previous result (positive = up); null = new. */
  moves: Record<string, number | null>;
  /** The store's schema beside the SQL editor (null until read). */
  schema: ScreenSchema | null;
  /** A live screen's last refresh time (null when not live). */
  liveAt: number | null;
  entry: ScreenEntryNote | null;
  /** What the last panel action (saving a screen alert) did, shown under the form. */
  notice: string | null;
  show(view: ScreenerState["view"]): void;
  edit(patch: Partial<ScreenForm>): void;
}

/** The SQL a new user starts from: last close and bar count per symbol. */
export const SAMPLE_SQL =
  "SELECT venue, symbol, arg_max(close, ts) AS last, count(*) AS bars\nFROM bars JOIN universe USING (venue, symbol)\nWHERE tf_ms = $timeframe AND ts >= $from AND ts < $to\nGROUP BY ALL";

/** The screener store. */
export const useScreener = create<ScreenerState>((set) => ({
  view: "results",
  form: {
    universe: "synthetic", timeframe: "1h", mode: "columns", columns: DEFAULT_COLUMNS, sql: SAMPLE_SQL,
    strategyId: null, metric: "totalReturn", holdout: "", from: "", to: "", filter: "", sort: "", live: false, alertTop: "",
  },
  universes: [],
  run: { kind: "idle" },
  result: null,
  moves: {},
  schema: null,
  liveAt: null,
  entry: null,
  notice: null,
  show: (view) => set({ view }),
  edit: (patch) => set((s) => ({ form: { ...s.form, ...patch } })),
}));

/** A positive whole number typed in a field, or undefined for "" / 0; anything else is refused. */
function topN(text: string): number | undefined {
  const t = text.trim();
  if (t === "" || t === "0") return undefined;
  if (!/^\d{1,5}$/.test(t)) throw new Error(`the alert's top N must be a whole number (got "${t}")`);
  return Number(t);
}

/** The holdout fraction typed (0 when empty); refuses one outside [0, 0.9]. */
function holdoutOf(text: string): number {
  const h = numberField(text, 0, 0, 0.9, "The holdout");
  if (typeof h === "string") throw new Error(h);
  return h;
}

/** The API request of a form; a strategy screen needs the chosen strategy's source. Throws on a bad field. */
export function screenRequest(form: ScreenForm, strategy?: { source: string; filename: string }): ParamsIn<"screen.run"> {
  const req: ParamsIn<"screen.run"> = { universe: form.universe.trim(), timeframe: form.timeframe };
  const { from, to, errors } = dayRange(form.from, form.to);
  if (errors[0]) throw new Error(errors[0].message);
  if (from !== null) req.from = from;
  if (to !== null) req.to = to;
  if (form.mode === "columns") req.columns = form.columns;
  else if (form.mode === "sql") req.sql = form.sql;
  else {
    if (!strategy) throw new Error("choose a saved strategy");
    req.strategy = strategy;
    req.metric = form.metric;
    req.holdout = holdoutOf(form.holdout);
  }
  if (form.filter.trim() !== "") req.filter = form.filter.trim();
  if (form.sort.trim() !== "") req.sort = form.sort.trim();
  return req;
}

/** The `screen.watch` request of a column-screen form, with its top-N alert. */
export function watchRequest(form: ScreenForm): ParamsIn<"screen.watch"> {
  const top = topN(form.alertTop);
  return { ...screenRequest({ ...form, mode: "columns" }), ...(top !== undefined ? { alertTop: top } : {}) };
}

/** The saved alert rule of a column-screen form: notify when a symbol enters its top N (default 10), on each bar close, in core. */
export function screenAlertRule(form: ScreenForm): Record<string, unknown> {
  const top = topN(form.alertTop) ?? 10;
  const universe = form.universe.trim();
  if (universe === "") throw new Error("choose a universe");
  const slug = universe.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "universe";
  const condition = { type: "screen", universe, columns: form.columns.trim(), top, ...(form.filter.trim() ? { filter: form.filter.trim() } : {}), ...(form.sort.trim() ? { sort: form.sort.trim() } : {}) };
  return { id: `screen-${slug}-${form.timeframe}-top${top}`, timeframe: form.timeframe, condition, deliver: { desktop: true } };
}

/**
 * The CLI lines that sweep and walk-forward a strategy on each member of the form's universe (the
 * editor's run form holds one symbol, so a universe run is a command: docs/screener.md).
 */
export function universeRunCommands(form: Pick<ScreenForm, "universe" | "timeframe">): string[] {
  const universe = form.universe.trim();
  if (universe === "") throw new Error("choose a universe");
  const quoted = /^[\w.:/,-]+$/.test(universe) ? universe : `'${universe.replace(/'/g, "'\\''")}'`;
  const tail = `--universe ${quoted} --timeframe ${form.timeframe}`;
  return [`workstation sweep STRATEGY.ts --grid JSON ${tail}`, `workstation walkforward STRATEGY.ts --grid JSON --folds N ${tail}`];
}

/** Rank movement per `venue:symbol` from rank changes (positive = moved up; null = entered). */
export function movesOf(changes: readonly RankChange[]): Record<string, number | null> {
  const moves: Record<string, number | null> = {};
  for (const c of changes) {
    if (c.rank !== null) moves[`${c.venue}:${c.symbol}`] = c.previous === null ? null : c.previous - c.rank;
  }
  return moves;
}

/** Rank movement of each row of `after` against `before` (positive = moved up; null = entered). */
export function rankMoves(before: readonly ScreenRow[], after: readonly ScreenRow[]): Record<string, number | null> {
  return movesOf(rankChanges(before, after));
}

const NOT_COLUMNS = new Set(["venue", "symbol", "error", "notes"]);

/** A live refresh as a result: the value columns are the rows' keys in first-seen order. */
export function updateResult(update: ScreenUpdate, elapsedMs: number): ScreenResult {
  const columns: string[] = [];
  for (const row of update.rows) for (const key of Object.keys(row)) if (!NOT_COLUMNS.has(key) && !columns.includes(key)) columns.push(key);
  return { rows: update.rows, columns, failed: update.rows.filter((r) => r.error !== undefined).length, elapsedMs };
}

/** A cell as text: numbers to 4 significant digits (integers as they are), null as "—". */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString();
  return String(value);
}
