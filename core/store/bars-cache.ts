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
 * Tail refresh: when the only writes since then say the earliest time they touched (the
 * recorder's appends), only the bars from that time's bucket on are read again and written over
 * the file's tail in place (the file keeps room to grow: columns have a stride above the bar
 * count). A write entirely after the request's range leaves the entry valid as it is. Anything
 * else (an import, a registration, a retention pass, no room left, another reader on the file)
 * takes the cold path. DuckDB hands results out in 2048-row chunks, so reading a million bars
 * costs a few hundred milliseconds of CPU however it is done (the query alone ~150): the point of
 * the cache is to do that once per series, not once per write; the cache survives a clean restart
 * (`handoff-persist.ts`).
 *
 * Slices: a ranged request is served from the full-range entry of its series (same symbol, venue
 * and timeframe, no range) when that entry is valid or tail-refreshable, as the rows its range
 * covers (binary search on the time column, bucketed as `candleSql` does); otherwise it has its
 * own entry. A slice lease holds the full entry like any lease, so it is never rewritten in place
 * under one. Memoized values are kept per row range. Venue-less requests are resolved to their
 * venue first (looked up again only when the symbol's generation changed), so they share entries
 * with requests naming the venue.
 *
 * Single flight (`flights.ts`): work on one key runs one at a time, so requests arriving together
 * on a cold series read it once, and a request of a series being prepared in the background
 * (`prepare.ts`) waits for that read.
 *
 * Cold path: the generation and the Parquet fingerprint are taken BEFORE the query (so a write
 * racing the query makes the entry stale, never a stale entry valid), then the result is streamed
 * into the file column by column (`bars-write.ts`, on a connection of its own).
 * Plain scans of stored bars skip the sort when their times already come back in order.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import type { BarsFileRef } from "../../common/strategy/bars-file.ts";
import { bucketCeil, bucketStart } from "../../common/market/timeframes.ts";
import { columnOffset } from "../../common/strategy/bars-file.ts";
import { barsSelects, candleSql, type CandleRequest } from "./candles.ts";
import { withReader, writeQuery, type Placement } from "./bars-write.ts";
import type { HandoffEntry } from "./handoff-cache.ts";
import type { MarketDb } from "./market-db.ts";
import { seriesKey } from "./flights.ts";
import { resolveInstrument, sourceGlobs } from "./sources.ts";

/** A hand-off file leased for one piece of work; call `release` when the workers are done with it. */
export interface BarsLease {
  ref: BarsFileRef;
  /** Number of bars in the file. */
  bars: number;
  /** The venue the bars came from. */
  venue: string;
  /** True when served from the cache without a query. */
  warm: boolean;
  /** Bars read from the store for this lease: 0 when warm, the new tail after a tail refresh, all when cold. */
  reread: number;
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

/** Column stride of a new file for `n` bars: room for about 6 % more before a rewrite. */
const strideFor = (n: number): number => n + Math.max(4096, Math.ceil(n / 16));

/** Reads one float64 at byte `position`. */
function readValue(fd: number, position: number): number {
  const v = new Float64Array(1);
  if (fs.readSync(fd, new Uint8Array(v.buffer), 0, 8, position) !== 8) throw new Error("bars hand-off file ended early");
  return v[0]!;
}

/** Index of the first of the entry's bars at or after `time` in its open file `fd` (binary search on the time column). */
function firstAtOrAfter(fd: number, entry: HandoffEntry, time: number): number {
  let lo = 0;
  let hi = entry.bars;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (readValue(fd, columnOffset(entry.stride, 0, mid)) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first of the entry's bars at or after `time`, and the time before it. */
function rowAt(entry: HandoffEntry, time: number): { row: number; before: number } {
  const fd = fs.openSync(entry.file, "r");
  try {
    const row = firstAtOrAfter(fd, entry, time);
    return { row, before: row > 0 ? readValue(fd, columnOffset(entry.stride, 0, row - 1)) : -Infinity };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The rows of a full-range entry that a ranged request's candles are, bucketed as `candleSql` does:
 * `from` floors to its bucket, `to` rounds up to one and is exclusive.
 */
function sliceRows(entry: HandoffEntry, req: CandleRequest): { first: number; count: number } {
  const tf = req.timeframe;
  const fd = fs.openSync(entry.file, "r");
  try {
    const first = req.from === undefined ? 0 : firstAtOrAfter(fd, entry, bucketStart(tf, req.from));
    const end = req.to === undefined ? entry.bars : firstAtOrAfter(fd, entry, bucketCeil(tf, req.to));
    return { first, count: Math.max(0, end - first) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Rewrites the bars of `entry` from the bucket of `from` on, in place; returns the bars read. Null
 * when that cannot be done (the new tail does not fit): the entry is then untouched.
 */
async function refreshTail(db: MarketDb, entry: HandoffEntry, req: CandleRequest, from: number, generation: string): Promise<number | null> {
  const tf = req.timeframe;
  const cut = Math.max(bucketStart(tf, from), req.from === undefined ? -Infinity : bucketStart(tf, req.from));
  // The entry's own query: a write that could change how the series is built (a new source or
  // timeframe, a first recording of a symbol) bumps without a time, so it never gets here.
  const q = (entry.sql ??= await candleSql(db, req));
  const { row, before } = rowAt(entry, cut);
  const sql = barsSelects(q, { ...req, from: cut });
  const at: Placement = { first: row, stride: (n) => (row + n <= entry.stride ? entry.stride : null) };
  const done = await withReader(db, undefined, async (conn) => {
    const unordered = sql.unordered === null ? null : await writeQuery(conn, sql.unordered, entry.file, true, at, before);
    return unordered ?? (await writeQuery(conn, sql.ordered, entry.file, false, at));
  });
  if (done === null) return null;
  entry.bars = row + done.rows;
  entry.generation = generation;
  entry.memo.clear();
  return done.rows;
}

/**
 * A lease of `rows` of `entry` (all its bars by default); the caller holds one lease count of the
 * entry, which this lease releases. Memoized values are per row range.
 */
function leaseOf(db: MarketDb, entry: HandoffEntry, symbol: string, reread: number, rows = { first: 0, count: entry.bars }): BarsLease {
  let released = false;
  const memoKey = (key: string): string => `${key}\u0000${rows.first}:${rows.count}`;
  return {
    ref: { file: entry.file, symbol, rows },
    bars: rows.count,
    venue: entry.venue,
    warm: reread === 0,
    reread,
    memo: <T>(key: string, compute: () => T): T => {
      const k = memoKey(key);
      if (!entry.memo.has(k)) entry.memo.set(k, compute());
      return entry.memo.get(k) as T;
    },
    release: () => {
      if (!released) db.handoffs.release(entry);
      released = true;
    },
  };
}

/**
 * Brings the leased entry `hit` of `req` up to date without a full read when it can be (see the
 * file header): the bars read (0 when it was valid as it was), or null when the cold path must run
 * (the caller still holds its lease count).
 */
async function reuse(db: MarketDb, hit: HandoffEntry, req: CandleRequest, generation: string): Promise<number | null> {
  // The file itself may have gone (the cache folder is in the data directory, where a user can delete it).
  if (fs.statSync(hit.file, { throwIfNoEntry: false })?.size !== hit.bytes) return null;
  if (filesFingerprint(hit.globs) !== hit.fingerprint) return null;
  if (hit.generation === generation) return 0;
  const from = db.generations.changedSince(hit.generation, req.symbol, req.venue);
  if (from === null) return null;
  if (req.to !== undefined && from >= bucketCeil(req.timeframe, req.to)) {
    hit.generation = generation;
    return 0;
  }
  // Never in place under another reader: a lease of the whole file or of a slice of it.
  if (hit.leases > 1) return null;
  let read: number | null;
  try {
    read = await refreshTail(db, hit, req, from, generation);
  } catch (err) {
    db.handoffs.release(hit);
    db.handoffs.drop(hit);
    throw err;
  }
  return read === null ? null : Math.max(1, read);
}

/** The entry of `req` (venue resolved), reused or built; run in the key's turn. */
async function leaseEntry(db: MarketDb, req: CandleRequest, signal?: AbortSignal): Promise<BarsLease> {
  const key = keyOf(req);
  const generation = db.generations.of(req.symbol, req.venue);
  const hit = db.handoffs.lease(key);
  const reread = hit ? await reuse(db, hit, req, generation) : null;
  if (hit && reread !== null) return leaseOf(db, hit, req.symbol, reread);
  const file = (hit ? db.handoffs.reclaim(hit) : null) ?? db.handoffs.newFile();
  const q = await candleSql(db, req);
  const globs = await sourceGlobs(db, q.venue, req.symbol);
  const fingerprint = filesFingerprint(globs);
  const sql = barsSelects(q, req);
  const at: Placement = { first: 0, stride: strideFor };
  try {
    const done = await withReader(db, signal, async (conn) => {
      const unordered = sql.unordered === null ? null : await writeQuery(conn, sql.unordered, file, true, at);
      return unordered ?? (await writeQuery(conn, sql.ordered, file, false, at))!;
    });
    const entry = db.handoffs.add({ key, symbol: req.symbol, venue: q.venue, file, bytes: (1 + 6 * done.stride) * 8, bars: done.rows, stride: done.stride, sql: q, generation, fingerprint, globs });
    return leaseOf(db, entry, req.symbol, Math.max(1, done.rows));
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
}

/**
 * The ranged request `req` (venue resolved) as a slice of the full-range entry of its series, when
 * there is one that is valid or refreshable; null otherwise (the request then takes its own key).
 * Waits for a read of that entry under way.
 */
function leaseSlice(db: MarketDb, req: CandleRequest): Promise<BarsLease | null> {
  const full: CandleRequest = { symbol: req.symbol, venue: req.venue, timeframe: req.timeframe };
  return db.handoffs.flights.run(keyOf(full), async () => {
    const hit = db.handoffs.lease(keyOf(full));
    if (!hit) return null;
    const reread = await reuse(db, hit, full, db.generations.of(full.symbol, full.venue));
    if (reread === null) {
      db.handoffs.release(hit);
      return null;
    }
    try {
      return leaseOf(db, hit, req.symbol, reread, sliceRows(hit, req));
    } catch (err) {
      db.handoffs.release(hit);
      throw err;
    }
  });
}

/**
 * The venue of `symbol`: `venue` when given, else the only venue that has it (looked up again only
 * when the symbol's generation changed since the last lookup: any write of it on any venue bumps it).
 */
async function seriesVenue(db: MarketDb, symbol: string, venue: string | undefined): Promise<string> {
  if (venue !== undefined) return venue;
  const generation = db.generations.of(symbol);
  const known = db.handoffs.venues.get(symbol);
  if (known?.generation === generation) return known.venue;
  const [found] = await resolveInstrument(db, symbol);
  db.handoffs.venues.set(symbol, { generation, venue: found!.venue });
  return found!.venue;
}

/**
 * Leases the full-range entry of `req`'s series (its venue given; `from`/`to` ignored), building
 * it when needed. The key's turn is taken synchronously (see `flights.ts`): background preparation,
 * which gives up before its read when `signal` was aborted while it waited for its turn.
 */
export function leaseSeries(db: MarketDb, req: CandleRequest & { venue: string }, signal?: AbortSignal): Promise<BarsLease> {
  const full: CandleRequest = { symbol: req.symbol, venue: req.venue, timeframe: req.timeframe };
  return db.handoffs.flights.run(keyOf(full), () => {
    signal?.throwIfAborted();
    return leaseEntry(db, full, signal);
  });
}

/**
 * Leases the hand-off file of the candles of `req` (as `loadBars` returns them), warm when valid:
 * a ranged request is a slice of its series' full-range entry when there is one. Requests of a
 * series being prepared in the background, or read by another request, wait for that read.
 */
export async function leaseBars(db: MarketDb, req: CandleRequest): Promise<BarsLease> {
  const venue = await seriesVenue(db, req.symbol, req.venue);
  const resolved: CandleRequest = { ...req, venue };
  await db.handoffs.flights.claimed(seriesKey(req.symbol, venue));
  if (req.from !== undefined || req.to !== undefined) {
    const slice = await leaseSlice(db, resolved);
    if (slice) return slice;
  }
  return db.handoffs.flights.run(keyOf(resolved), () => leaseEntry(db, resolved));
}
