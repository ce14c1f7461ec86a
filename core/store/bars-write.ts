/**
 * The cold read of bars from DuckDB into a hand-off file (see `bars-cache.ts`): the query's result
 * is streamed on a connection of its own, its chunks held in DuckDB's memory until the row count
 * (and so the file's stride) is known, then each column is written at its offset, gathered 65,536
 * rows at a time in a staging buffer kept for the process. No column is ever whole in JS memory
 * (fresh buffers of tens of megabytes cost more in page faults than the copy itself).
 */
import fs from "node:fs";
import bindings from "@duckdb/node-bindings";
import type { DuckDBConnection } from "@duckdb/node-api";
import { columnOffset } from "../../common/strategy/bars-file.ts";
import { nonDecreasing } from "./candles.ts";
import type { MarketDb } from "./market-db.ts";

function writeAt(fd: number, bytes: Uint8Array, position: number): void {
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off, position + off);
}

/** Where a query's rows go: from row `first` of a file whose stride `stride(rows)` gives (null: no room, nothing written). */
export interface Placement {
  first: number;
  stride(rows: number): number | null;
}

/** A result chunk kept in DuckDB's memory until the row count is known, and its rows. */
interface HeldChunk {
  chunk: bindings.DataChunk;
  rows: number;
}

/**
 * Streams `sql` (six non-NULL DOUBLE columns) on `conn`, which nothing else may use meanwhile (any
 * other query on it closes the stream), and holds its chunks. Streaming skips the materialized
 * result's copy of every row, and the next chunk is asked for before the current one is kept, so
 * DuckDB produces it while JS waits for the previous one.
 */
async function streamChunks(conn: DuckDBConnection, sql: string): Promise<HeldChunk[]> {
  const result = await conn.stream(sql);
  if (result.columnCount !== 6) throw new Error(`internal: bars query has ${result.columnCount} columns`);
  for (let i = 0; i < 6; i++) {
    const type = result.columnType(i).toString();
    if (type !== "DOUBLE") throw new Error(`internal: column ${result.columnName(i)} is ${type}, expected DOUBLE`);
  }
  const chunks: HeldChunk[] = [];
  let next = result.fetchChunk();
  for (;;) {
    const chunk = await next;
    const rows = chunk?.rowCount ?? 0;
    if (!chunk || rows === 0) return chunks;
    next = result.fetchChunk();
    chunks.push({ chunk: chunk.chunk, rows });
  }
}

/** Rows copied together before one write: 512 KB, kept for the process (the copy is synchronous). */
const STAGE_ROWS = 65_536;
const stage = new Float64Array(STAGE_ROWS);
const stageBytes = new Uint8Array(stage.buffer);

/**
 * Writes column `k` of `chunks` into `fd` from row `first` of a file of column stride `stride`,
 * gathered in the staging buffer (one write per 32 chunks). With `last` (the time before `first`),
 * checks the times are non-decreasing and returns null at the first that is not (rows written
 * before it stay written); returns the last time otherwise.
 */
function writeColumn(fd: number, chunks: readonly HeldChunk[], k: number, stride: number, first: number, last: number | null): number | null {
  let row = first;
  let staged = 0;
  const flush = (): boolean => {
    const values = stage.subarray(0, staged);
    if (last !== null && !nonDecreasing(values, last)) return false;
    if (last !== null && staged > 0) last = values[staged - 1]!;
    writeAt(fd, stageBytes.subarray(0, staged * 8), columnOffset(stride, k, row));
    row += staged;
    staged = 0;
    return true;
  };
  for (const { chunk, rows } of chunks) {
    if (staged + rows > STAGE_ROWS && !flush()) return null;
    const bytes = bindings.vector_get_data(bindings.data_chunk_get_vector(chunk, k), rows * 8);
    stageBytes.set(bytes, staged * 8);
    freeNow(bytes);
    staged += rows;
  }
  return staged > 0 && !flush() ? null : (last ?? 0);
}

/**
 * Runs `sql` (six non-NULL DOUBLE columns) on `conn` (a connection of its own: the result is
 * streamed) and writes its rows into `file` in the hand-off format, column by column at their
 * offsets. Returns the row count and stride, or null when the rows do not fit (nothing written) or
 * `checkOrder` is set and the times came back out of order (the rows written are then incomplete).
 */
export async function writeQuery(conn: DuckDBConnection, sql: string, file: string, checkOrder: boolean, at: Placement, last = -Infinity): Promise<{ rows: number; stride: number } | null> {
  const chunks = await streamChunks(conn, sql);
  const n = chunks.reduce((sum, c) => sum + c.rows, 0);
  const stride = at.stride(n);
  if (stride === null) return null;
  // Not truncated first: a reused file keeps its pages; a new one is cut to size at the end.
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o600);
  try {
    if (at.first === 0) writeAt(fd, new Uint8Array(Float64Array.of(stride).buffer), 0);
    for (let k = 0; k < 6; k++) {
      if (writeColumn(fd, chunks, k, stride, at.first, k === 0 && checkOrder ? last : null) === null) return null;
    }
    if (at.first === 0) fs.ftruncateSync(fd, (1 + 6 * stride) * 8);
    return { rows: n, stride };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Runs `read` on a new connection of `db`, closed after: the bars query streams its result, which
 * any other query on the same connection would close. `signal` interrupts it (a cancelled
 * preparation).
 */
export async function withReader<T>(db: MarketDb, signal: AbortSignal | undefined, read: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await db.connect();
  const stop = (): void => conn.interrupt();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    signal?.throwIfAborted();
    return await read(conn);
  } finally {
    signal?.removeEventListener("abort", stop);
    conn.closeSync();
  }
}

/**
 * Frees the memory of a vector's copy now rather than at the next garbage collection, so the next
 * chunk's copy reuses its pages: fresh pages (page faults) cost more than the copy itself, and a
 * million bars are ~12,000 of them.
 */
function freeNow(bytes: Uint8Array): void {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) bytes.buffer.transfer(0);
}

