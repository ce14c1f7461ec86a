/**
 * Runs one screen request, whatever its kind, to a ranked {@link ScreenResult}: built-in columns
 * (column-screen.ts), SQL over the store (sql-screen.ts) or a strategy per symbol
 * (strategy-screen.ts). The filter and sort apply to every kind; the columns a filter or sort key
 * names are computed too. The same code runs in core (API) and in the CLI without a core.
 */
import type Database from "better-sqlite3";
import type { ScreenRequest, ScreenResult } from "../../common/api/screener.ts";
import { parseColumns, type ColumnSpec } from "../../common/screener/columns.ts";
import { filterColumns, parseFilter, type FilterExpr } from "../../common/screener/filter.ts";
import { parseSort, rankRows, type ScreenRow, type SortSpec, type UniverseMember } from "../../common/screener/rank.ts";
import type { MarketDb } from "../store/market-db.ts";
import { ColumnScreen } from "./column-screen.ts";
import { resolveUniverse } from "./universes.ts";

/** A bad screen request (unknown column, bad filter): the message names the problem. */
export class ScreenError extends Error {}

/** What a screen reads. */
export interface ScreenDeps {
  app: () => Database.Database;
  market: () => Promise<MarketDb>;
  /** SQL screens: runs the statement in the query sandbox with the universe bound. */
  sql?: (sql: string, members: readonly UniverseMember[], req: ScreenRequest, signal?: AbortSignal) => Promise<{ rows: ScreenRow[]; columns: string[] }>;
  /** Strategy screens: backtests per member and returns rows with metric columns. */
  strategy?: (members: readonly UniverseMember[], req: ScreenRequest, signal?: AbortSignal) => Promise<{ rows: ScreenRow[]; columns: string[]; metric: string }>;
  signal?: AbortSignal;
}

function parsed<T>(what: () => T): T {
  try {
    return what();
  } catch (err) {
    throw new ScreenError((err as Error).message);
  }
}

/** The request's column specs with those its filter and sort name added (in that order). */
export function columnSpecs(list: string, filter: FilterExpr | null, sort: SortSpec | null): ColumnSpec[] {
  const extra = [...(filter ? filterColumns(filter) : []), ...(sort ? [sort.key] : [])];
  return parsed(() => parseColumns([list, ...extra].join(",")));
}

function checkKind(req: ScreenRequest): "columns" | "sql" | "strategy" {
  const kinds = (["columns", "sql", "strategy"] as const).filter((k) => req[k] !== undefined);
  if (kinds.length !== 1) throw new ScreenError("give exactly one of --columns LIST, --sql \"SQL\" or --strategy FILE.ts");
  return kinds[0]!;
}

/** A column screen request's parts: the screen (not yet run), its sort (default: the first column, descending) and filter. */
export function columnScreenOf(req: ScreenRequest, app: () => Database.Database): { screen: ColumnScreen; sort: SortSpec; filter: FilterExpr | null } {
  if (req.columns === undefined) throw new ScreenError("a watched screen needs --columns");
  const filter = req.filter ? parsed(() => parseFilter(req.filter!)) : null;
  const sort = req.sort ? parsed(() => parseSort(req.sort!)) : null;
  const members = parsed(() => resolveUniverse(app, req.universe));
  const specs = columnSpecs(req.columns, filter, sort);
  const screen = new ColumnScreen({ members, timeframe: req.timeframe, columns: specs, from: req.from, to: req.to });
  return { screen, sort: sort ?? { key: specs[0]!.id, dir: "desc" }, filter };
}

type Ranked = { rows: ScreenRow[]; columns: string[]; sort: SortSpec | null };

/** SQL or strategy screen rows, before ranking. */
async function otherRows(kind: "sql" | "strategy", req: ScreenRequest, deps: ScreenDeps): Promise<Ranked> {
  const members = parsed(() => resolveUniverse(deps.app, req.universe));
  if (kind === "sql") {
    if (!deps.sql) throw new ScreenError("SQL screens are not available here");
    return { ...(await deps.sql(req.sql!, members, req, deps.signal)), sort: null };
  }
  if (!deps.strategy) throw new ScreenError("strategy screens are not available here");
  const { rows, columns, metric } = await deps.strategy(members, req, deps.signal);
  return { rows, columns, sort: { key: metric, dir: metric.endsWith("maxDrawdown") ? "asc" : "desc" } };
}

/** Runs a screen; a member whose computation fails is a row with `error`. */
export async function runScreen(req: ScreenRequest, deps: ScreenDeps): Promise<ScreenResult> {
  const started = performance.now();
  const kind = checkKind(req);
  const filter = req.filter ? parsed(() => parseFilter(req.filter!)) : null;
  const sort = req.sort ? parsed(() => parseSort(req.sort!)) : null;
  let out: Ranked;
  if (kind === "columns") {
    const made = columnScreenOf(req, deps.app);
    out = { rows: await made.screen.run(await deps.market(), deps.signal), columns: made.screen.spec.columns.map((s) => s.id), sort: made.sort };
  } else {
    out = await otherRows(kind, req, deps);
    checkNames(filter, sort, out.columns);
  }
  const ranked = rankRows(out.rows, sort ?? out.sort, filter);
  return { rows: ranked, columns: out.columns, failed: out.rows.filter((r) => r.error !== undefined).length, elapsedMs: Math.round(performance.now() - started) };
}

/** SQL and strategy screens: a filter or sort key must name one of the result's columns. */
function checkNames(filter: FilterExpr | null, sort: SortSpec | null, columns: readonly string[]): void {
  const known = new Set([...columns, "venue", "symbol"]);
  for (const name of [...(filter ? filterColumns(filter) : []), ...(sort ? [sort.key] : [])]) {
    if (!known.has(name)) throw new ScreenError(`unknown column "${name}" in --filter/--sort (the result has ${columns.join(", ") || "no columns"})`);
  }
}
