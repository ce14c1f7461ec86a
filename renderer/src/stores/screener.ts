/**
 * The Screener panel's state: the form (universe, timeframe, columns or SQL, filter, sort), the
 * saved universes, the running screen (progress, cancel), its result with each row's rank change
 * since the previous run (for highlighting), and which tab the bottom area shows (backtest
 * results, the screener, alerts or paper trading). The request building and cell formatting are pure, for tests.
 */
import { create } from "zustand";
import type { ScreenResult, UniverseSummary } from "../../../common/api/screener.ts";
import type { ParamsIn } from "../../../common/api/index.ts";
import type { Timeframe } from "../../../common/market/bars.ts";
import { DEFAULT_COLUMNS } from "../../../common/screener/columns.ts";
import { rankChanges, type ScreenRow } from "../../../common/screener/rank.ts";

/** What the form holds. */
export interface ScreenForm {
  universe: string;
  timeframe: Timeframe;
  mode: "columns" | "sql";
  columns: string;
  sql: string;
  filter: string;
  sort: string;
}

/** The screen being run. */
export type ScreenRunState = { kind: "idle" } | { kind: "running"; message: string } | { kind: "failed"; message: string };

/** The Screener store. */
export interface ScreenerState {
  view: "results" | "screener" | "alerts" | "trading";
  form: ScreenForm;
  universes: UniverseSummary[];
  run: ScreenRunState;
  result: ScreenResult | null;
  /** Rank movement per `venue:symbol` since the previous result (positive = up); null = new. */
  moves: Record<string, number | null>;
  show(view: ScreenerState["view"]): void;
  edit(patch: Partial<ScreenForm>): void;
}

/** The SQL a new user starts from: last close and bar count per symbol. */
export const SAMPLE_SQL =
  "SELECT venue, symbol, arg_max(close, ts) AS last, count(*) AS bars\nFROM bars JOIN universe USING (venue, symbol)\nWHERE tf_ms = $timeframe AND ts >= $from AND ts < $to\nGROUP BY ALL";

/** The screener store. */
export const useScreener = create<ScreenerState>((set) => ({
  view: "results",
  form: { universe: "synthetic", timeframe: "1h", mode: "columns", columns: DEFAULT_COLUMNS, sql: SAMPLE_SQL, filter: "", sort: "" },
  universes: [],
  run: { kind: "idle" },
  result: null,
  moves: {},
  show: (view) => set({ view }),
  edit: (patch) => set((s) => ({ form: { ...s.form, ...patch } })),
}));

/** The API request of a form. */
export function screenRequest(form: ScreenForm): ParamsIn<"screen.run"> {
  const req: ParamsIn<"screen.run"> = { universe: form.universe.trim(), timeframe: form.timeframe };
  if (form.mode === "columns") req.columns = form.columns;
  else req.sql = form.sql;
  if (form.filter.trim() !== "") req.filter = form.filter.trim();
  if (form.sort.trim() !== "") req.sort = form.sort.trim();
  return req;
}

/** Rank movement of each row of `after` against `before` (positive = moved up; null = entered). */
export function rankMoves(before: readonly ScreenRow[], after: readonly ScreenRow[]): Record<string, number | null> {
  const moves: Record<string, number | null> = {};
  for (const c of rankChanges(before, after)) {
    if (c.rank !== null) moves[`${c.venue}:${c.symbol}`] = c.previous === null ? null : c.previous - c.rank;
  }
  return moves;
}

/** A cell as text: numbers to 4 significant digits (integers as they are), null as "—". */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString();
  return String(value);
}
