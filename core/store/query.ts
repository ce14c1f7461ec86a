/**
 * Read-only SQL over the market store, for people (`workstation query`) and the AI assistant:
 * exactly one SELECT statement, a row limit (one more row is read to tell that it was cut) and
 * a time limit (the statement is interrupted). Writes, DDL, settings and multiple statements are
 * refused before anything runs, and so is anything that reads outside the store (query-guard.ts).
 */
import { StatementType, type DuckDBConnection } from "@duckdb/node-api";
import type { QueryResult } from "../../common/api/store.ts";
import { assertQueryStaysInStore } from "./query-guard.ts";

/** A refused or failed query, with a message for the user. */
export class QueryError extends Error {
  override name = "QueryError";
}

/** Why a write, DDL or setting statement is refused. */
export const READ_ONLY_MESSAGE = "the query connection is read-only: only SELECT statements are allowed";

/** Limits of a query. */
export interface QueryLimits {
  maxRows: number;
  timeoutMs: number;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
}

/** Runs one read-only statement on `conn` within the limits. */
export async function runReadOnlyQuery(conn: DuckDBConnection, sql: string, limits: QueryLimits): Promise<QueryResult> {
  const started = performance.now();
  let prepared;
  try {
    const statements = await conn.extractStatements(sql);
    if (statements.count !== 1) throw new QueryError(`expected exactly one statement, got ${statements.count}`);
    await assertQueryStaysInStore(conn, sql);
    prepared = await statements.prepare(0);
  } catch (err) {
    if (err instanceof QueryError) throw err;
    throw new QueryError(`bad SQL: ${firstLine(err)}`);
  }
  if (prepared.statementType !== StatementType.SELECT) throw new QueryError(READ_ONLY_MESSAGE);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, limits.timeoutMs);
  try {
    const reader = await prepared.streamAndReadUntil(limits.maxRows + 1);
    const rows = reader.getRowsJson().slice(0, limits.maxRows);
    const columns = reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
    return { columns, rows, truncated: reader.currentRowCount > limits.maxRows, elapsedMs: Math.round(performance.now() - started) };
  } catch (err) {
    if (timedOut) throw new QueryError(`the query ran longer than ${limits.timeoutMs} ms and was stopped`);
    throw new QueryError(firstLine(err));
  } finally {
    clearTimeout(timer);
  }
}
