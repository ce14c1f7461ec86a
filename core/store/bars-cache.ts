/**
 * Bars from the store to strategy workers as a leased hand-off file (the format of
 * `common/strategy/bars-file.ts`), warm when nothing changed since the last request.
 *
 * Warm path: the cached entry of the request is valid when the data generation of its symbol is
 * unchanged (every write path bumps it after committing; see `generations.ts`) and the Parquet
 * files it read have the same names, sizes, mtimes and inodes (files in a registered folder may
 * change behind the store's back). No query runs; the worker reads the file into its reused
 * shared buffer.
 *
 * Cold path: the generation and the Parquet fingerprint are taken BEFORE the query (so a write
 * racing the query makes the entry stale, never a stale entry valid), then DuckDB's result
 * vectors are written straight into the file at their column offsets: no column is ever whole in
 * JS memory (fresh buffers of tens of megabytes cost more in page faults than the copy itself).
 * Plain scans of stored bars skip the sort when their times already come back in order.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import bindings from "@duckdb/node-bindings";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { BarsFileRef } from "../../common/strategy/bars-file.ts";
import { barsSelects, candleSql, nonDecreasing, type CandleRequest } from "./candles.ts";
import type { HandoffEntry } from "./handoff-cache.ts";
import type { MarketDb } from "./market-db.ts";
import { sourceGlobs } from "./sources.ts";

/** A hand-off file leased for one piece of work; call `release` when the workers are done with it. */
export interface BarsLease {
  ref: BarsFileRef;
  /** Number of bars in the file. */
  bars: number;
  /** The venue the bars came from. */
  venue: string;
  /** True when served from the cache without a query. */
  warm: boolean;
  /** A value derived from the file, computed on first use and kept with the cached file (e.g. `fileFacts`). */
  memo<T>(key: string, compute: () => T): T;
  release(): void;
}

function keyOf(req: CandleRequest): string {
  return JSON.stringify([req.symbol, req.venue ?? null, req.timeframe, req.from ?? null, req.to ?? null]);
}

/** Names, sizes, mtimes and inodes of the files matching `globs`, hashed. */
export function filesFingerprint(globs: string[]): string {
  const h = crypto.createHash("sha256");
  for (const glob of globs) {
    h.update(`\u0001${glob}`);
    for (const file of fs.globSync(glob).sort()) {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      h.update(`\u0000${file}:${st?.size ?? -1}:${st?.mtimeMs ?? -1}:${st?.ino ?? -1}`);
    }
  }
  return h.digest("hex");
}

function writeAt(fd: number, bytes: Uint8Array, position: number): void {
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off, position + off);
}

/**
 * Runs `sql` (six non-NULL DOUBLE columns) and writes its rows to `file` in the hand-off format,
 * column by column at their offsets. Returns the row count, or null when `checkOrder` is set and
 * the times came back out of order (the file is then incomplete).
 */
async function writeQuery(conn: DuckDBConnection, sql: string, file: string, checkOrder: boolean): Promise<number | null> {
  const result = await conn.run(sql);
  if (result.columnCount !== 6) throw new Error(`internal: bars query has ${result.columnCount} columns`);
  for (let i = 0; i < 6; i++) {
    const type = result.columnType(i).toString();
    if (type !== "DOUBLE") throw new Error(`internal: column ${result.columnName(i)} is ${type}, expected DOUBLE`);
  }
  const n = result.rowCount;
  // Not truncated first: a reused file keeps its pages; it is cut to size at the end.
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o600);
  try {
    writeAt(fd, new Uint8Array(Float64Array.of(n).buffer), 0);
    let row = 0;
    let last = -Infinity;
    for (let c = 0; c < result.chunkCount; c++) {
      const chunk = result.getChunk(c);
      const rows = chunk.rowCount;
      for (let i = 0; i < 6 && rows > 0; i++) {
        const bytes = bindings.vector_get_data(bindings.data_chunk_get_vector(chunk.chunk, i), rows * 8);
        if (i === 0 && checkOrder) {
          const time = bytes.byteOffset % 8 === 0 ? new Float64Array(bytes.buffer, bytes.byteOffset, rows) : new Float64Array(bytes.slice().buffer);
          if (!nonDecreasing(time, last)) return null;
          last = time[rows - 1]!;
        }
        writeAt(fd, bytes, 8 + (i * n + row) * 8);
      }
      row += rows;
    }
    if (row !== n) throw new Error(`internal: bars query returned ${row} of ${n} rows`);
    fs.ftruncateSync(fd, (1 + 6 * n) * 8);
    return n;
  } finally {
    fs.closeSync(fd);
  }
}

function leaseOf(db: MarketDb, entry: HandoffEntry, symbol: string, warm: boolean): BarsLease {
  let released = false;
  return {
    ref: { file: entry.file, symbol },
    bars: entry.bars,
    venue: entry.venue,
    warm,
    memo: <T>(key: string, compute: () => T): T => {
      if (!entry.memo.has(key)) entry.memo.set(key, compute());
      return entry.memo.get(key) as T;
    },
    release: () => {
      if (!released) db.handoffs.release(entry);
      released = true;
    },
  };
}

/** Leases the hand-off file of the candles of `req` (as `loadBars` returns them), warm when valid. */
export async function leaseBars(db: MarketDb, req: CandleRequest): Promise<BarsLease> {
  const key = keyOf(req);
  const generation = db.generations.of(req.symbol, req.venue);
  const hit = db.handoffs.lease(key);
  if (hit) {
    if (hit.generation === generation && filesFingerprint(hit.globs) === hit.fingerprint) return leaseOf(db, hit, req.symbol, true);
  }
  const reuse = hit ? db.handoffs.reclaim(hit) : null;
  const q = await candleSql(db, req);
  const globs = await sourceGlobs(db, q.venue, req.symbol);
  const fingerprint = filesFingerprint(globs);
  const sql = barsSelects(q, req);
  const file = reuse ?? db.handoffs.newFile();
  try {
    let bars = sql.unordered === null ? null : await writeQuery(db.conn, sql.unordered, file, true);
    bars ??= (await writeQuery(db.conn, sql.ordered, file, false))!;
    const entry = db.handoffs.add({ key, file, bytes: (1 + 6 * bars) * 8, bars, venue: q.venue, generation, fingerprint, globs });
    return leaseOf(db, entry, req.symbol, false);
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
}
