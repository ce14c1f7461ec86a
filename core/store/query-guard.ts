/**
 * What a read-only query may touch, decided on DuckDB's own parse tree (`json_serialize_sql`), not
 * on the SQL text: tables only from the market store (and the query's own CTEs), no table
 * functions except a few generators, no replacement scans of files or URLs (`FROM 'x.csv'`), and no
 * scalar functions that reach outside the database (`getenv`). A SELECT alone can otherwise read any
 * file the process can (`read_text('/home/…/.ssh/id_rsa')`) or call out to the network, and the
 * assistant runs queries without asking.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { QueryError, READ_ONLY_MESSAGE } from "./query.ts";

const SAFE_TABLE_FUNCTIONS = new Set(["range", "generate_series", "unnest"]);
const DENIED_FUNCTIONS = new Set(["getenv", "read_text", "read_blob", "read_csv", "read_csv_auto", "read_parquet", "read_json", "read_json_auto", "glob", "query", "query_table"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Names of the tables and views a query may read. */
async function storeTables(conn: DuckDBConnection): Promise<Set<string>> {
  const rows = (await conn.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")).getRows();
  return new Set(rows.map((r) => String(r[0]).toLowerCase()));
}

function cteNames(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) for (const child of node) cteNames(child, into);
  else if (node && typeof node === "object") {
    const map = (node.cte_map as { map?: { key?: string }[] } | undefined)?.map;
    if (Array.isArray(map)) for (const entry of map) if (typeof entry.key === "string") into.add(entry.key.toLowerCase());
    for (const child of Object.values(node)) cteNames(child, into);
  }
}

function refusal(node: { [key: string]: Json }, readable: Set<string>): string | null {
  if (node.type === "BASE_TABLE") {
    const name = String(node.table_name ?? "").toLowerCase();
    const schema = String(node.schema_name ?? "");
    if (!readable.has(name) || (schema !== "" && schema !== "main")) return `the query may read only the store's tables (not "${node.table_name}")`;
  }
  if (node.type === "TABLE_FUNCTION") {
    const fn = (node.function as { function_name?: string } | null)?.function_name ?? "";
    if (!SAFE_TABLE_FUNCTIONS.has(fn.toLowerCase())) return `table function ${fn}() is not allowed in a read-only query`;
  }
  if (node.class === "FUNCTION" && DENIED_FUNCTIONS.has(String(node.function_name ?? "").toLowerCase())) {
    return `function ${node.function_name}() is not allowed in a read-only query`;
  }
  return null;
}

function firstRefusal(node: Json, readable: Set<string>): string | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = firstRefusal(child, readable);
      if (found) return found;
    }
    return null;
  }
  if (!node || typeof node !== "object") return null;
  const here = refusal(node, readable);
  if (here) return here;
  return firstRefusal(Object.values(node), readable);
}

/** Throws a {@link QueryError} when `sql` is not a SELECT or would read anything but the store's own tables; binds nothing. */
export async function assertQueryStaysInStore(conn: DuckDBConnection, sql: string): Promise<void> {
  const serialized = (await conn.runAndReadAll(`SELECT json_serialize_sql(${sqlLiteral(sql)})`)).getRows()[0]?.[0];
  const tree = JSON.parse(String(serialized)) as { error?: boolean; error_type?: string; error_message?: string; statements?: Json };
  if (tree.error && tree.error_type === "not implemented") throw new QueryError(READ_ONLY_MESSAGE);
  if (tree.error) throw new QueryError(`bad SQL: ${String(tree.error_message ?? "could not parse").split("\n")[0]}`);
  const readable = await storeTables(conn);
  cteNames(tree.statements ?? null, readable);
  const found = firstRefusal(tree.statements ?? null, readable);
  if (found) throw new QueryError(found);
}
