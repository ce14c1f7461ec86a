/**
 * The messages of refused and failed read-only queries. DuckDB's own errors are mapped to one line
 * each; a refused file access always gets the same message, so an error never tells whether a file
 * outside the store exists.
 */

/** A refused or failed query, with a message for the user. */
export class QueryError extends Error {
  override name = "QueryError";
}

/** A query stopped at its deadline or cancelled; DuckDB may still be inside a call that ignores interrupts. */
export class QueryStoppedError extends QueryError {}

/** Why a write, DDL or setting statement is refused. */
export const READ_ONLY_MESSAGE = "the query connection is read-only: only SELECT statements are allowed";

/** Why a query touching anything outside the store is refused (the same whatever the path). */
export const OUTSIDE_MESSAGE = "the query may read only the store's tables and its registered Parquet sources (parquet_trades, parquet_bars)";

/** The first line of an error's message. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
}

/** Human text for a byte count (1 GB, 64 MB, 512 kB). */
export function byteText(bytes: number): string {
  if (bytes >= 1 << 30 && bytes % (1 << 30) === 0) return `${bytes / (1 << 30)} GB`;
  if (bytes >= 1 << 20) return `${Math.round(bytes / (1 << 20))} MB`;
  return `${Math.round(bytes / 1024)} kB`;
}

/** A DuckDB failure of a user query, as the one-line message the user sees. */
export function queryFailure(err: unknown, memoryLimitBytes: number): QueryError {
  if (err instanceof QueryError) return err;
  const line = firstLine(err);
  if (/^Permission Error|disabled (by|through) configuration|configuration has been locked/i.test(line)) return new QueryError(OUTSIDE_MESSAGE);
  if (/^Out of Memory Error/i.test(line)) {
    return new QueryError(`the query needed more than ${byteText(memoryLimitBytes)} of memory (the cap for queries) and was stopped`);
  }
  return new QueryError(line);
}
