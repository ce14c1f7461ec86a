/**
 * DuckDB helpers shared by the data-file readers and the market store: opening an in-memory
 * instance for standalone reads, quoting, and turning a query result into columnar typed arrays.
 *
 * Column conversion copies each DOUBLE vector of a result chunk straight out of DuckDB's memory
 * into a preallocated Float64Array (one `set` per column per chunk): no per-row JS values, no bigint.
 * Queries that feed it cast every column to DOUBLE and filter out NULLs first.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
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
 * Runs a query whose columns are all non-NULL DOUBLE and returns one Float64Array per column.
 * The result is materialized inside DuckDB and copied out chunk by chunk synchronously: one
 * async hop per query rather than one per 2048-row chunk.
 */
export async function readDoubleColumns(conn: DuckDBConnection, sql: string, _expectedRows = 1024): Promise<Float64Array[]> {
  const result = await conn.run(sql);
  const count = result.columnCount;
  for (let i = 0; i < count; i++) {
    const type = result.columnType(i).toString();
    if (type !== "DOUBLE") throw new Error(`internal: column ${result.columnName(i)} is ${type}, expected DOUBLE`);
  }
  const columns = Array.from({ length: count }, () => new FloatColumn(result.rowCount));
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const rows = chunk.rowCount;
    if (rows === 0) continue;
    for (let i = 0; i < count; i++) {
      const vector = bindings.data_chunk_get_vector(chunk.chunk, i);
      columns[i]!.append(asFloat64(bindings.vector_get_data(vector, rows * 8), rows));
    }
  }
  return columns.map((col) => col.finish());
}

/** Views (or, when misaligned, copies) raw vector bytes as doubles. */
function asFloat64(bytes: Uint8Array, rows: number): Float64Array {
  if (bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, rows);
  return new Float64Array(bytes.slice(0, rows * 8).buffer);
}
