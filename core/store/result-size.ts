/**
 * The size of a query result chunk, measured on DuckDB's vectors before any value becomes a JS
 * value: fixed-width values by their width, strings and blobs by their byte length, lists, maps,
 * structs and arrays by their children. A result too large for the byte cap is refused without
 * converting it (one row holding a 20-million-element list would otherwise take most of a minute
 * and gigabytes of JS heap to convert).
 */
import duckdb from "@duckdb/node-bindings";
import type { DuckDBDataChunk } from "@duckdb/node-api";
import { QueryError } from "./query-errors.ts";

const T = duckdb.Type;
const FIXED_WIDTH = new Map<duckdb.Type, number>([
  [T.BOOLEAN, 1], [T.TINYINT, 1], [T.UTINYINT, 1], [T.SMALLINT, 2], [T.USMALLINT, 2], [T.INTEGER, 4], [T.UINTEGER, 4],
  [T.BIGINT, 8], [T.UBIGINT, 8], [T.FLOAT, 4], [T.DOUBLE, 8], [T.TIMESTAMP, 8], [T.DATE, 4], [T.TIME, 8], [T.TIME_NS, 8],
  [T.INTERVAL, 16], [T.HUGEINT, 16], [T.UHUGEINT, 16], [T.DECIMAL, 16], [T.TIMESTAMP_S, 8], [T.TIMESTAMP_MS, 8],
  [T.TIMESTAMP_NS, 8], [T.ENUM, 4], [T.UUID, 16], [T.TIME_TZ, 8], [T.TIMESTAMP_TZ, 8], [T.SQLNULL, 1],
]);
const STRING_LIKE = new Set([T.VARCHAR, T.BLOB, T.BIT, T.BIGNUM]);
/** Bytes of one `duckdb_string_t` (the length is its first four bytes). */
const STRING_T = 16;

function isValid(validity: Uint8Array | null, row: number): boolean {
  return !validity || validity.length === 0 || (validity[row >> 3]! & (1 << (row & 7))) !== 0;
}

function stringBytes(vector: duckdb.Vector, rows: number): number {
  if (rows === 0) return 0;
  const data = duckdb.vector_get_data(vector, rows * STRING_T);
  const validity = duckdb.vector_get_validity(vector, Math.ceil(rows / 64) * 8) as Uint8Array | null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let total = rows;
  for (let row = 0; row < rows; row++) if (isValid(validity, row)) total += view.getUint32(row * STRING_T, true);
  return total;
}

function vectorBytes(vector: duckdb.Vector, rows: number): number {
  const type = duckdb.vector_get_column_type(vector);
  const id = duckdb.get_type_id(type);
  const width = FIXED_WIDTH.get(id);
  if (width !== undefined) return width * rows;
  if (STRING_LIKE.has(id)) return stringBytes(vector, rows);
  if (id === T.LIST || id === T.MAP) return 8 * rows + vectorBytes(duckdb.list_vector_get_child(vector), duckdb.list_vector_get_size(vector));
  if (id === T.ARRAY) return vectorBytes(duckdb.array_vector_get_child(vector), rows * duckdb.array_type_array_size(type));
  if (id === T.STRUCT) {
    let total = 0;
    for (let i = 0; i < duckdb.struct_type_child_count(type); i++) total += vectorBytes(duckdb.struct_vector_get_child(vector, i), rows);
    return total;
  }
  throw new QueryError(`a result column of type ${T[id] ?? id} cannot be returned; cast it to VARCHAR`);
}

/** Bytes the values of a result chunk take (their DuckDB sizes). */
export function chunkBytes(chunk: DuckDBDataChunk): number {
  let total = 0;
  for (let col = 0; col < chunk.columnCount; col++) total += vectorBytes(duckdb.data_chunk_get_vector(chunk.chunk, col), chunk.rowCount);
  return total;
}
