/**
 * The first line of the read-only query's defence, decided on DuckDB's own parse tree
 * (`json_serialize_sql`), not on the SQL text: tables only from the store (and the CTEs in scope
 * where they are named), no table functions but a few generators and the Parquet reader, no
 * replacement scans of files or URLs (`FROM 'x.csv'`), and no scalar functions that reveal the
 * environment or settings (`getenv`, `current_setting`). The real barrier is the locked-down DuckDB
 * instance the query runs in (query-sandbox.ts); this check gives clear messages and says which
 * store tables a query reads.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../datafiles/duck.ts";
import { QueryError, READ_ONLY_MESSAGE } from "./query-errors.ts";

const SAFE_TABLE_FUNCTIONS = new Set(["range", "generate_series", "unnest", "read_parquet", "parquet_scan"]);
const DENIED_FUNCTIONS = new Set(["getenv", "current_setting", "read_text", "read_blob", "read_csv", "read_csv_auto", "read_json", "read_json_auto", "glob", "query", "query_table"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** What a walk of the parse tree found. */
interface Findings {
  refusal: string | null;
  /** Store tables the query reads (lower case). */
  tables: Set<string>;
}

/** The CTE names a node declares: visible in that node's subtree only. */
function declaredCtes(node: JsonObject, outer: ReadonlySet<string>): ReadonlySet<string> {
  const map = (node.cte_map as { map?: { key?: string }[] } | undefined)?.map;
  if (!Array.isArray(map) || map.length === 0) return outer;
  const scope = new Set(outer);
  for (const entry of map) if (typeof entry.key === "string") scope.add(entry.key.toLowerCase());
  return scope;
}

function tableRefusal(node: JsonObject, readable: ReadonlySet<string>, ctes: ReadonlySet<string>, found: Findings): string | null {
  const name = String(node.table_name ?? "").toLowerCase();
  const qualified = String(node.schema_name ?? "") !== "" || String(node.catalog_name ?? "") !== "";
  if (!qualified && ctes.has(name)) return null;
  if (readable.has(name) && (String(node.schema_name ?? "") === "" || node.schema_name === "main") && String(node.catalog_name ?? "") === "") {
    found.tables.add(name);
    return null;
  }
  return `the query may read only the store's tables (not "${String(node.table_name)}")`;
}

function refusal(node: JsonObject, readable: ReadonlySet<string>, ctes: ReadonlySet<string>, found: Findings): string | null {
  if (node.type === "BASE_TABLE") return tableRefusal(node, readable, ctes, found);
  if (node.type === "TABLE_FUNCTION") {
    const fn = (node.function as { function_name?: string } | null)?.function_name ?? "";
    if (!SAFE_TABLE_FUNCTIONS.has(fn.toLowerCase())) return `table function ${fn}() is not allowed in a read-only query`;
  }
  if (node.class === "FUNCTION" && DENIED_FUNCTIONS.has(String(node.function_name ?? "").toLowerCase())) {
    return `function ${String(node.function_name)}() is not allowed in a read-only query`;
  }
  return null;
}

function walk(node: Json, readable: ReadonlySet<string>, ctes: ReadonlySet<string>, found: Findings): void {
  if (found.refusal) return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, readable, ctes, found);
    return;
  }
  if (!node || typeof node !== "object") return;
  const scope = declaredCtes(node, ctes);
  found.refusal = refusal(node, readable, scope, found);
  for (const child of Object.values(node)) walk(child, readable, scope, found);
}

/**
 * Throws a {@link QueryError} when `sql` is not a SELECT or would read anything but `readable`
 * (the store's tables and views, lower case); binds nothing. Returns the store tables it reads.
 */
export async function assertQueryStaysInStore(conn: DuckDBConnection, sql: string, readable: ReadonlySet<string>): Promise<Set<string>> {
  const serialized = (await conn.runAndReadAll(`SELECT json_serialize_sql(${sqlString(sql)})`)).getRows()[0]?.[0];
  const tree = JSON.parse(String(serialized)) as { error?: boolean; error_type?: string; error_message?: string; statements?: Json };
  if (tree.error && tree.error_type === "not implemented") throw new QueryError(READ_ONLY_MESSAGE);
  if (tree.error) throw new QueryError(`bad SQL: ${String(tree.error_message ?? "could not parse").split("\n")[0]}`);
  const found: Findings = { refusal: null, tables: new Set() };
  walk(tree.statements ?? null, readable, new Set(), found);
  if (found.refusal) throw new QueryError(found.refusal);
  return found.tables;
}
