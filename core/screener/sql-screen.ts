/**
 * SQL screens: the user's one SELECT runs in the query sandbox (core/store/query*.ts: its own
 * read-only, locked-down DuckDB instance; the parse-tree guard), with a temporary view
 * `universe(venue, symbol)` of the screen's members and the named parameters `$timeframe` (the
 * bar length in ms, as `bars.tf_ms` holds it), `$from` and `$to` (UTC ms; the whole range when not
 * given). The result must have `venue` and `symbol` columns; every other column is a screen column.
 */
import type { QueryResult } from "../../common/api/store.ts";
import type { ScreenRequest, ScreenSchema } from "../../common/api/screener.ts";
import { TIMEFRAMES } from "../../common/market/bars.ts";
import type { ScreenRow, ScreenValue, UniverseMember } from "../../common/screener/rank.ts";
import { sqlString } from "../datafiles/duck.ts";
import type { MarketDb } from "../store/market-db.ts";
import { QUERY_DEFAULTS, QueryError, type QueryBindings } from "../store/query.ts";

/** How the sandbox is reached: core's live database or the store's file. */
export type SandboxQuery = (sql: string, limits: { maxRows: number; timeoutMs: number }, bindings: QueryBindings, signal?: AbortSignal) => Promise<QueryResult>;

/** The view and parameters a SQL screen binds. */
export function screenBindings(members: readonly UniverseMember[], req: Pick<ScreenRequest, "timeframe" | "from" | "to">): QueryBindings {
  const values = members.map((m) => `(${sqlString(m.venue)}, ${sqlString(m.symbol)})`).join(", ");
  return {
    views: { universe: `SELECT venue, symbol FROM (VALUES ${values}) AS u(venue, symbol)` },
    params: { timeframe: TIMEFRAMES[req.timeframe], from: req.from ?? Number.MIN_SAFE_INTEGER, to: req.to ?? Number.MAX_SAFE_INTEGER },
  };
}

/** A cell as a screen value: integers and decimals DuckDB hands over as text become numbers (filters and sorts compare them). */
function cell(v: unknown, type: string): ScreenValue {
  if (typeof v === "string" && /INT|DECIMAL/.test(type) && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  return JSON.stringify(v);
}

/** Result rows as screen rows; refuses a result without venue and symbol. */
export function sqlRows(result: QueryResult): { rows: ScreenRow[]; columns: string[] } {
  const names = result.columns.map((c) => c.name);
  const venueAt = names.indexOf("venue");
  const symbolAt = names.indexOf("symbol");
  if (venueAt < 0 || symbolAt < 0) throw new QueryError(`a SQL screen must return venue and symbol columns (it returned ${names.join(", ")})`);
  const columns = names.filter((n) => n !== "venue" && n !== "symbol");
  const rows = result.rows.map((r) => {
    const row: ScreenRow = { venue: String(r[venueAt]), symbol: String(r[symbolAt]) };
    names.forEach((n, i) => {
      if (i !== venueAt && i !== symbolAt) row[n] = cell(r[i], result.columns[i]!.type);
    });
    return row;
  });
  return { rows, columns };
}

/** Runs a SQL screen through `query`. */
export async function runSqlScreen(query: SandboxQuery, sql: string, members: readonly UniverseMember[], req: ScreenRequest, signal?: AbortSignal): Promise<{ rows: ScreenRow[]; columns: string[] }> {
  const result = await query(sql, { maxRows: QUERY_DEFAULTS.maxRows, timeoutMs: req.timeoutMs }, screenBindings(members, req), signal);
  return sqlRows(result);
}

/** The parameters {@link screenBindings} binds, as the SQL editor documents them. */
const SCREEN_PARAMS: ScreenSchema["params"] = [
  { name: "$timeframe", type: "BIGINT", doc: "the screen's bar length in ms (compare with bars.tf_ms)" },
  { name: "$from", type: "BIGINT", doc: "range start, UTC ms (the whole history when not given)" },
  { name: "$to", type: "BIGINT", doc: "range end, UTC ms, exclusive (the whole history when not given)" },
];

/** What a SQL screen sees: the store's `bars` columns as the database declares them, the `universe` view and the parameters. */
export async function screenSchema(db: MarketDb): Promise<ScreenSchema> {
  const read = await db.conn.runAndReadAll(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'bars' ORDER BY ordinal_position",
  );
  const bars = read.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
  return {
    tables: [
      { name: "bars", kind: "table", columns: bars },
      { name: "universe", kind: "view", columns: [{ name: "venue", type: "VARCHAR" }, { name: "symbol", type: "VARCHAR" }] },
    ],
    params: SCREEN_PARAMS,
  };
}
