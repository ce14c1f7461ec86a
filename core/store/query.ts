/**
 * Read-only SQL over the market store, for people (`workstation query`) and the AI assistant:
 * exactly one SELECT statement, run in a locked-down DuckDB instance of its own (query-sandbox.ts)
 * that can read the store's tables and the registered Parquet files and nothing else on disk.
 * Without a running core the sandbox attaches the store's file itself; in core it attaches a
 * snapshot of the tables the query reads (query-snapshot.ts). Limits: a deadline (the statement
 * is interrupted and the caller answered at once), the sandbox's memory, and the result's rows
 * (cut, `truncated`) and bytes (measured before conversion; refused).
 */
import fs from "node:fs";
import path from "node:path";
import { JsonDuckDBValueConverter, StatementType, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResult } from "@duckdb/node-api";
import type { QueryResult } from "../../common/api/store.ts";
import { sqlIdent } from "../datafiles/duck.ts";
import { MARKET_DB_FILE, type MarketDb } from "./market-db.ts";
import { assertQueryStaysInStore } from "./query-guard.ts";
import { QueryError, READ_ONLY_MESSAGE, byteText, firstLine, queryFailure } from "./query-errors.ts";
import { PARQUET_VIEWS, openQuerySandbox, type QuerySandbox } from "./query-sandbox.ts";
import { snapshotTables, storeTableNames } from "./query-snapshot.ts";
import { chunkBytes } from "./result-size.ts";
import { startDeadline, type Deadline } from "./query-deadline.ts";

export { QueryError, READ_ONLY_MESSAGE } from "./query-errors.ts";

/** Limits of a query. */
export interface QueryLimits {
  maxRows: number;
  timeoutMs: number;
  /** Largest result, in DuckDB's value bytes (default 64 MB). */
  maxBytes?: number;
  /** The sandbox's DuckDB memory limit (default 1 GB). */
  memoryLimitBytes?: number;
}

/**
 * What a caller binds around a user's statement (the screener): temporary views the statement may
 * read by name (name → a SELECT built by the caller, never by the user) and named parameters
 * (`$name`; only those the statement uses are bound).
 */
export interface QueryBindings {
  views?: Readonly<Record<string, string>>;
  params?: Readonly<Record<string, number | string>>;
}

/** Default limits (the CLI's and the API's). */
export const QUERY_DEFAULTS = { maxRows: 100_000, timeoutMs: 30_000, maxBytes: 64 << 20, memoryLimitBytes: 1 << 30 } as const;

function memoryOf(limits: QueryLimits): number {
  return limits.memoryLimitBytes ?? QUERY_DEFAULTS.memoryLimitBytes;
}

async function assertOneStatement(conn: DuckDBConnection, sql: string): Promise<void> {
  let count: number;
  try {
    count = (await conn.extractStatements(sql)).count;
  } catch (err) {
    throw new QueryError(`bad SQL: ${firstLine(err)}`);
  }
  if (count !== 1) throw new QueryError(`expected exactly one statement, got ${count}`);
}

function prepareFailure(err: unknown, limits: QueryLimits): QueryError {
  if (err instanceof QueryError) return err;
  const mapped = queryFailure(err, memoryOf(limits));
  return mapped.message === firstLine(err) ? new QueryError(`bad SQL: ${mapped.message}`) : mapped;
}

function chunkRows(columns: unknown[][], take: number): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = 0; r < take; r++) rows.push(columns.map((column) => column[r] ?? null));
  return rows;
}

/** Reads at most `maxRows` rows and `maxBytes` bytes of a streaming result. */
async function readLimited(result: DuckDBResult, limits: QueryLimits): Promise<Pick<QueryResult, "columns" | "rows" | "truncated">> {
  const maxBytes = limits.maxBytes ?? QUERY_DEFAULTS.maxBytes;
  const columns = result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
  const rows: unknown[][] = [];
  let bytes = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return { columns, rows, truncated: false };
    if (rows.length >= limits.maxRows) return { columns, rows, truncated: true };
    bytes += chunkBytes(chunk);
    if (bytes > maxBytes) throw new QueryError(`the result is larger than ${byteText(maxBytes)} (the cap); select fewer rows or columns`);
    const take = Math.min(chunk.rowCount, limits.maxRows - rows.length);
    const values = columns.map((_, i) => chunk.convertColumnValues(i, JsonDuckDBValueConverter));
    rows.push(...chunkRows(values, take));
    if (take < chunk.rowCount) return { columns, rows, truncated: true };
  }
}

/** Binds the statement's `$name` parameters from `params`; an unknown one is named. */
function bindParams(prepared: DuckDBPreparedStatement, params: Readonly<Record<string, number | string>>): void {
  for (let i = 1; i <= prepared.parameterCount; i++) {
    const name = prepared.parameterName(i);
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined) throw new QueryError(`unknown parameter $${name} (known: ${Object.keys(params).map((k) => `$${k}`).join(", ") || "none"})`);
    if (typeof value === "string") prepared.bindVarchar(i, value);
    else if (Number.isSafeInteger(value)) prepared.bindBigInt(i, BigInt(value));
    else prepared.bindDouble(i, value);
  }
}

/** Creates the caller's temporary views; returns what the statement may read. */
async function createViews(sandbox: QuerySandbox, bindings: QueryBindings): Promise<Set<string>> {
  const readable = new Set(sandbox.readable);
  for (const [name, select] of Object.entries(bindings.views ?? {})) {
    await sandbox.conn.run(`CREATE TEMP VIEW ${sqlIdent(name)} AS ${select}`);
    readable.add(name.toLowerCase());
  }
  return readable;
}

async function execute(sandbox: QuerySandbox, sql: string, limits: QueryLimits, bindings: QueryBindings = {}): Promise<Pick<QueryResult, "columns" | "rows" | "truncated">> {
  const { conn } = sandbox;
  let result: DuckDBResult;
  try {
    const statements = await conn.extractStatements(sql);
    const readable = await createViews(sandbox, bindings);
    await assertQueryStaysInStore(conn, sql, readable);
    const prepared = await statements.prepare(0);
    if (prepared.statementType !== StatementType.SELECT) throw new QueryError(READ_ONLY_MESSAGE);
    if (bindings.params) bindParams(prepared, bindings.params);
    result = await prepared.stream();
  } catch (err) {
    throw prepareFailure(err, limits);
  }
  return readLimited(result, limits);
}

/**
 * Runs `sql` in a sandbox over `databaseFile`; answers at the deadline even when DuckDB is still
 * inside one long function call (it is interrupted and the sandbox closes once it stops).
 */
async function runInSandbox(databaseFile: string, sql: string, limits: QueryLimits, deadline: Deadline, afterClose?: () => void, bindings?: QueryBindings): Promise<QueryResult> {
  const started = performance.now();
  let sandbox: QuerySandbox;
  try {
    sandbox = await openQuerySandbox(databaseFile, memoryOf(limits));
  } catch (err) {
    afterClose?.();
    throw err;
  }
  let open = true;
  const work = (async () => {
    try {
      deadline.onExpire(() => {
        if (open) sandbox.conn.interrupt();
      });
      return await execute(sandbox, sql, limits, bindings);
    } finally {
      open = false;
      sandbox.close();
      afterClose?.();
    }
  })();
  work.catch(() => undefined);
  const done = await Promise.race([work, deadline.stopped]);
  return { ...done, elapsedMs: Math.round(performance.now() - started) };
}

async function guarded(limits: QueryLimits, signal: AbortSignal | undefined, run: (deadline: Deadline) => Promise<QueryResult>): Promise<QueryResult> {
  const deadline = startDeadline(limits.timeoutMs, signal);
  try {
    return await run(deadline);
  } catch (err) {
    throw deadline.error ?? queryFailure(err, memoryOf(limits));
  } finally {
    deadline.clear();
  }
}

/** Runs one read-only statement over the market file of `dataDir` (no core runs: nothing else has it open). */
export async function queryMarketFile(dataDir: string, sql: string, limits: QueryLimits, signal?: AbortSignal, bindings?: QueryBindings): Promise<QueryResult> {
  const file = path.join(dataDir, MARKET_DB_FILE);
  if (!fs.existsSync(file)) throw new QueryError(`no market data yet in ${dataDir} (nothing imported or recorded)`);
  return guarded(limits, signal, (deadline) => runInSandbox(file, sql, limits, deadline, undefined, bindings));
}

/** Runs one read-only statement over core's open market database, on a snapshot of the tables it reads. */
export async function queryLiveMarket(db: MarketDb, sql: string, limits: QueryLimits, signal?: AbortSignal, bindings?: QueryBindings): Promise<QueryResult> {
  return guarded(limits, signal, async (deadline) => {
    deadline.onExpire(() => db.conn.interrupt());
    await assertOneStatement(db.conn, sql);
    const stored = await storeTableNames(db.conn);
    const views = Object.keys(bindings?.views ?? {}).map((v) => v.toLowerCase());
    const reads = await assertQueryStaysInStore(db.conn, sql, new Set([...stored, ...PARQUET_VIEWS, ...views]));
    const copy = [...new Set([...reads, "parquet_sources"])].filter((table) => stored.has(table) && !views.includes(table));
    const snapshot = await snapshotTables(db.conn, db.dataDir, copy);
    return runInSandbox(snapshot.file, sql, limits, deadline, snapshot.remove, bindings);
  });
}
