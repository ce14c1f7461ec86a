/**
 * The recorder: appends feed events to the market store in batches, off the hot path.
 *
 * `record()` only pushes the event onto an in-memory buffer (O(1), no I/O). A timer flushes the
 * buffers every `flushMs` (default 500 ms) through DuckDB appenders on the recorder's own
 * connection; closing an appender commits its rows, so a kill -9 loses at most the events
 * buffered since the last flush and never a committed row (DuckDB's WAL). A clean `stop()` flushes
 * everything. Trades keep their exact decimal strings (cast by DuckDB to DECIMAL(38,18)) and go in
 * as packed text statements that DuckDB splits off the event loop (see `INSERT_PACKED_TRADES`); book
 * snapshots keep their top-N levels as JSON text; gaps, checksum mismatches and errors go to
 * `integrity_events` beside the data so backtests can see the holes. While it records, a marker
 * file names its symbols (see `recording-marker.ts`): after a kill -9 the next open of the market
 * database adds an `unclean_shutdown` integrity event for each of them.
 *
 * A disk cap (bytes of the market database and its WAL) and write failures (disk full) stop
 * recording with an alarm; the database stays consistent because a failed append commits nothing.
 */
import fs from "node:fs";
import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import type { RecorderStatus } from "../../common/api/store.ts";
import type { Level, MarketEvent, TradeEvent } from "../../common/market/events.ts";
import { MONEY, type MarketDb } from "./market-db.ts";
import { RecordingMarker } from "./recording-marker.ts";
import { upsertInstrument } from "./sources.ts";

/** Options of {@link Recorder}. */
export interface RecorderOptions {
  flushMs?: number;
  /** Levels kept per side in book snapshots (default 20). */
  depth?: number;
  /** Stop recording above this many bytes on disk (market DB + WAL). */
  maxBytes?: number | null;
  /** Called after each successful flush with the total rows written. */
  onFlush?: (written: number) => void;
  /** Called once when recording stops on an alarm. */
  onAlarm?: (message: string) => void;
}

interface BookRow {
  venue: string;
  symbol: string;
  ts: number;
  bids: string;
  asks: string;
}

interface IntegrityRow {
  venue: string;
  symbol: string | null;
  ts: number;
  type: string;
  detail: string | null;
}

/** Buffers feed events and writes them to DuckDB in batches. */
export class Recorder {
  private readonly db: MarketDb;
  private readonly opts: RecorderOptions;
  private conn: DuckDBConnection | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private trades: TradeEvent[] = [];
  private books: BookRow[] = [];
  private integrity: IntegrityRow[] = [];
  private flushing: Promise<void> | null = null;
  private written = 0;
  private lastFlushAt: number | null = null;
  /** Symbols (venue\u0000symbol) whose instrument row this recorder has written: their flushes bump from a time on. */
  private readonly announced = new Set<string>();
  private alarm: string | null = null;
  private readonly marker: RecordingMarker;

  constructor(db: MarketDb, opts: RecorderOptions = {}) {
    this.db = db;
    this.opts = opts;
    this.marker = new RecordingMarker(db.dataDir);
  }

  /** Opens the recorder's connection and starts the flush timer. */
  async start(): Promise<void> {
    if (this.conn) return;
    this.conn = await this.db.connect();
    this.marker.open();
    this.timer = setInterval(() => void this.flush(), this.opts.flushMs ?? 500);
  }

  /** Buffers one feed event (book updates are not recorded; use {@link recordBook} for snapshots). */
  record(event: MarketEvent): void {
    if (this.alarm !== null) return;
    switch (event.type) {
      case "trade":
        this.marker.add(event.exchange, event.symbol);
        this.trades.push(event);
        break;
      case "book_snapshot":
        this.recordBook(event.exchange, event.symbol, event.ts, event.bids, event.asks);
        break;
      case "gap":
        this.recordIntegrity(event.exchange, event.symbol, "gap", { expected: event.expected, got: event.got });
        break;
      case "checksum_mismatch":
        this.recordIntegrity(event.exchange, event.symbol, "checksum_mismatch", null);
        break;
      case "error":
        this.recordIntegrity(event.exchange, null, event.reason, null);
        break;
      case "book_update":
        break;
    }
  }

  /** Buffers a periodic top-N book snapshot. */
  recordBook(venue: string, symbol: string, ts: number, bids: Level[], asks: Level[]): void {
    if (this.alarm !== null) return;
    this.marker.add(venue, symbol);
    const depth = this.opts.depth ?? 20;
    this.books.push({ venue, symbol, ts, bids: JSON.stringify(bids.slice(0, depth)), asks: JSON.stringify(asks.slice(0, depth)) });
  }

  /** Buffers an integrity event (gap, resync, checksum mismatch…) at the current time. */
  recordIntegrity(venue: string, symbol: string | null, type: string, detail: unknown): void {
    this.integrity.push({ venue, symbol, ts: Date.now(), type, detail: detail === null ? null : JSON.stringify(detail) });
  }

  /** Current state, for the status bar. */
  status(): RecorderStatus {
    return {
      recording: this.conn !== null && this.alarm === null,
      buffered: this.trades.length + this.books.length + this.integrity.length,
      written: this.written,
      lastFlushAt: this.lastFlushAt,
      alarm: this.alarm,
    };
  }

  /** Writes everything buffered so far; concurrent calls share one flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (!this.conn || this.alarm !== null) return Promise.resolve();
    this.flushing = this.writeBatch().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Flushes and closes; the database stays open (it belongs to the caller). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    this.conn?.closeSync();
    this.conn = null;
    this.marker.close();
  }

  private async writeBatch(): Promise<void> {
    const trades = this.trades;
    const books = this.books;
    const integrity = this.integrity;
    if (trades.length + books.length + integrity.length === 0) return;
    this.trades = [];
    this.books = [];
    this.integrity = [];
    try {
      this.checkCap();
      const conn = this.conn!;
      if (trades.length > 0) await this.appendTrades(conn, trades);
      if (books.length > 0) await appendRows(conn, "book_snapshots", books, (a, r) => {
        a.appendVarchar(r.venue);
        a.appendVarchar(r.symbol);
        a.appendBigInt(BigInt(r.ts));
        a.appendVarchar(r.bids);
        a.appendVarchar(r.asks);
      });
      if (integrity.length > 0) await appendRows(conn, "integrity_events", integrity, appendIntegrity);
      this.written += trades.length + books.length + integrity.length;
      this.lastFlushAt = Date.now();
      this.opts.onFlush?.(this.written);
    } catch (err) {
      this.raiseAlarm(`recording stopped: ${(err as Error).message.split("\n")[0]}`);
    } finally {
      // After the commit (or a failure): cached reads of these symbols are stale from here on.
      this.bumpFlushed(trades, this.alarm === null);
    }
  }

  private async appendTrades(conn: DuckDBConnection, trades: TradeEvent[]): Promise<void> {
    if (trades.every(packable)) await insertPacked(conn, trades);
    else {
      await appendRows(conn, "trades", trades, (a, t) => {
        a.appendVarchar(t.exchange);
        a.appendVarchar(t.symbol);
        a.appendBigInt(BigInt(t.ts));
        a.appendVarchar(t.price);
        a.appendVarchar(t.size);
        a.appendVarchar(t.side);
        a.appendVarchar(t.tradeId);
      });
    }
    const span = new Map<string, { venue: string; symbol: string; first: number; last: number }>();
    for (const t of trades) {
      const key = `${t.exchange}\u0000${t.symbol}`;
      const s = span.get(key);
      if (s) s.last = Math.max(s.last, t.ts);
      else span.set(key, { venue: t.exchange, symbol: t.symbol, first: t.ts, last: t.ts });
    }
    for (const s of span.values()) {
      await upsertInstrument(conn, { venue: s.venue, symbol: s.symbol, kind: "trades", source: "recorded", tfMs: null, firstTs: s.first, lastTs: s.last });
    }
  }

  /**
   * Marks the symbols of flushed trades as changed from their earliest trade on — except in a
   * symbol's first flush by this recorder, whose instrument row may be new (a symbol with only
   * imported bars starts being built from trades): then everything may have changed.
   */
  private bumpFlushed(trades: readonly TradeEvent[], committed: boolean): void {
    const pair = (t: TradeEvent): string => `${t.exchange}\u0000${t.symbol}`;
    this.db.generations.bumpEvents(trades.filter((t) => this.announced.has(pair(t))));
    const fresh = new Map<string, TradeEvent>();
    for (const t of trades) if (!this.announced.has(pair(t))) fresh.set(pair(t), t);
    for (const [key, t] of fresh) {
      this.db.generations.bump(t.exchange, t.symbol);
      if (committed) this.announced.add(key);
    }
  }

  private checkCap(): void {
    const cap = this.opts.maxBytes;
    if (!cap) return;
    const used = fileSize(this.db.file) + fileSize(`${this.db.file}.wal`);
    if (used > cap) throw new Error(`recordings use ${used} bytes, above the cap of ${cap} bytes`);
  }

  private raiseAlarm(message: string): void {
    if (this.alarm !== null) return;
    this.alarm = message;
    this.trades = [];
    this.books = [];
    this.integrity = [];
    this.marker.close();
    this.opts.onAlarm?.(message);
  }
}

/**
 * Trades go to DuckDB as text parameters of INSERT statements (fields split by U+001F, rows by
 * U+001E, up to {@link PACK_ROWS} rows each, one transaction per flush) that DuckDB splits and casts
 * itself — decimals from their exact text, as the appender did — while the statements run off the
 * event loop. Seven appender calls per row on the main thread blocked it for 15–20 µs a trade
 * (measured on a busy 2-core machine): a 500 ms batch at 20k msgs/s stalled the feeds for tens of ms.
 */
const INSERT_PACKED_TRADES = `INSERT INTO trades SELECT f[1], f[2], f[3]::BIGINT, f[4]::${MONEY}, f[5]::${MONEY}, f[6], f[7]
  FROM (SELECT string_split(line, chr(31)) AS f FROM (SELECT unnest(string_split($1::VARCHAR, chr(30))) AS line))`;
/** Rows per packed statement: DuckDB's cost per row grows with the size of one packed text. */
const PACK_ROWS = 2048;

/** Whether `text` is free of the separators. */
function plain(text: string): boolean {
  return !text.includes("\u001e") && !text.includes("\u001f");
}

/** Whether a trade's free-text fields are free of the separators. */
function packable(t: TradeEvent): boolean {
  return plain(t.symbol) && plain(t.tradeId) && plain(t.exchange);
}

/** Inserts `trades` packed, {@link PACK_ROWS} per statement, in one transaction (all or nothing). */
async function insertPacked(conn: DuckDBConnection, trades: readonly TradeEvent[]): Promise<void> {
  await conn.run("BEGIN TRANSACTION");
  try {
    for (let from = 0; from < trades.length; from += PACK_ROWS) {
      const end = Math.min(trades.length, from + PACK_ROWS);
      const rows = new Array<string>(end - from);
      for (let i = from; i < end; i++) {
        const t = trades[i]!;
        rows[i - from] = `${t.exchange}\u001f${t.symbol}\u001f${t.ts}\u001f${t.price}\u001f${t.size}\u001f${t.side}\u001f${t.tradeId}`;
      }
      await conn.run(INSERT_PACKED_TRADES, [rows.join("\u001e")]);
    }
    await conn.run("COMMIT");
  } catch (err) {
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
}

function appendIntegrity(a: DuckDBAppender, r: IntegrityRow): void {
  a.appendVarchar(r.venue);
  if (r.symbol === null) a.appendNull();
  else a.appendVarchar(r.symbol);
  a.appendBigInt(BigInt(r.ts));
  a.appendVarchar(r.type);
  if (r.detail === null) a.appendNull();
  else a.appendVarchar(r.detail);
}

/** Appends rows through one appender; closing it commits them all, or nothing on error. */
async function appendRows<T>(conn: DuckDBConnection, table: string, rows: T[], put: (a: DuckDBAppender, row: T) => void): Promise<void> {
  const appender = await conn.createAppender(table);
  try {
    for (const row of rows) {
      put(appender, row);
      appender.endRow();
    }
    appender.closeSync();
  } catch (err) {
    appender.clear();
    appender.closeSync();
    throw err;
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
