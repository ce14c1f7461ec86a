/**
 * DuckDB helpers shared by the data-file readers and the market store: opening an in-memory
 * instance for standalone reads, quoting, and turning a query result into columnar typed arrays.
 *
 * Column conversion copies each DOUBLE vector of a result chunk straight out of DuckDB's memory
 * into a growing Float64Array (one `set` per column per chunk): no per-row JS values, no bigint.
 * Queries that feed it cast every column to DOUBLE and filter out NULLs first.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBResult } from "@duckdb/node-api";
import bindings from "@duckdb/node-bindings";

/** Opens a private in-memory DuckDB with UTC as its time zone. */
export async function openMemoryDuck(): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'UTC'");
  return {
    instance,
    conn,
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL identifier (double-quoted). */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Growable Float64Array. */
class FloatColumn {
  data: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }

  append(src: Float64Array): void {
    if (this.length + src.length > this.data.length) {
      const next = new Float64Array(Math.max(this.data.length * 2, this.length + src.length));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(src, this.length);
    this.length += src.length;
  }

  finish(): Float64Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}

/**
 * Streams a query whose columns are all non-NULL DOUBLE and returns one Float64Array per column.
 * `expectedRows` sizes the first allocation (a hint; the arrays grow as needed).
 */
export async function readDoubleColumns(conn: DuckDBConnection, sql: string, expectedRows = 1024): Promise<Float64Array[]> {
  const result = await conn.stream(sql);
  return collectDoubleColumns(result, expectedRows);
}

/** Views (or, when misaligned, copies) raw vector bytes as doubles. */
function asFloat64(bytes: Uint8Array, rows: number): Float64Array {
  if (bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, rows);
  return new Float64Array(bytes.slice(0, rows * 8).buffer);
}

async function collectDoubleColumns(result: DuckDBResult, expectedRows: number): Promise<Float64Array[]> {
  const count = result.columnCount;
  for (let i = 0; i < count; i++) {
    const type = result.columnType(i).toString();
    if (type !== "DOUBLE") throw new Error(`internal: column ${result.columnName(i)} is ${type}, expected DOUBLE`);
  }
  const columns = Array.from({ length: count }, () => new FloatColumn(expectedRows));
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    for (let i = 0; i < count; i++) {
      const vector = bindings.data_chunk_get_vector(chunk.chunk, i);
      const bytes = bindings.vector_get_data(vector, rows * 8);
      columns[i]!.append(asFloat64(bytes, rows));
    }
  }
  return columns.map((c) => c.finish());
}
