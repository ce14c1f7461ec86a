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

/** Runs a screen; a member whose computation fails is a row with `error`. */
export async function runScreen(req: ScreenRequest, deps: ScreenDeps): Promise<ScreenResult> {
  const started = performance.now();
  const kind = checkKind(req);
  const filter = req.filter ? parsed(() => parseFilter(req.filter!)) : null;
  const sort = req.sort ? parsed(() => parseSort(req.sort!)) : null;
  const members = parsed(() => resolveUniverse(deps.app, req.universe));
  let rows: ScreenRow[];
  let columns: string[];
  let defaultSort: SortSpec | null = null;
  if (kind === "columns") {
    const specs = columnSpecs(req.columns!, filter, sort);
    const screen = new ColumnScreen({ members, timeframe: req.timeframe, columns: specs, from: req.from, to: req.to });
    rows = await screen.run(await deps.market(), deps.signal);
    columns = specs.map((s) => s.id);
    defaultSort = { key: columns[0]!, dir: "desc" };
  } else if (kind === "sql") {
    if (!deps.sql) throw new ScreenError("SQL screens are not available here");
    ({ rows, columns } = await deps.sql(req.sql!, members, req, deps.signal));
  } else {
    if (!deps.strategy) throw new ScreenError("strategy screens are not available here");
    const result = await deps.strategy(members, req, deps.signal);
    rows = result.rows;
    columns = result.columns;
    defaultSort = { key: result.metric, dir: result.metric.endsWith("maxDrawdown") ? "asc" : "desc" };
  }
  checkNames(filter, sort, columns, kind);
  const ranked = rankRows(rows, sort ?? defaultSort, filter);
  return { rows: ranked, columns, failed: rows.filter((r) => r.error !== undefined).length, elapsedMs: Math.round(performance.now() - started) };
}

/** SQL and strategy screens: a filter or sort key must name one of the result's columns. */
function checkNames(filter: FilterExpr | null, sort: SortSpec | null, columns: readonly string[], kind: string): void {
  if (kind === "columns") return;
  const known = new Set([...columns, "venue", "symbol"]);
  for (const name of [...(filter ? filterColumns(filter) : []), ...(sort ? [sort.key] : [])]) {
    if (!known.has(name)) throw new ScreenError(`unknown column "${name}" in --filter/--sort (the result has ${columns.join(", ") || "no columns"})`);
  }
}
