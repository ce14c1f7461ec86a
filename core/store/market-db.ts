/**
 * The DuckDB market database (`market.duckdb` in the data directory): instruments, trades with
 * exact DECIMAL(38,18) prices and sizes (money as it came off the wire), imported OHLCV bars as
 * DOUBLE (analysis data, handed to strategies as Float64Array; DECIMAL(38,18) → DOUBLE costs
 * ~200 ns a value in DuckDB, too slow for a million bars), periodic book snapshots, integrity
 * events (gaps, resyncs) and registered Parquet sources. Versioned migrations in a `meta` table;
 * a newer schema is refused. Times are BIGINT UTC ms (`ts`); a bar's `ts` is its open time.
 *
 * One process owns the file while it runs (DuckDB allows one writer): core when it runs, else the
 * CLI command. Read-only opens are used for queries when no core runs.
 */
import fs from "node:fs";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { SchemaTooNewError } from "./app-db.ts";
import { DataGenerations } from "./generations.ts";
import { HandoffCache } from "./handoff-cache.ts";
import { VERSION } from "../version.ts";
import { makePrivate } from "../platform/private-files.ts";
import { recoverUncleanRecording } from "./recording-marker.ts";
import { HANDOFF_CACHE_FORMAT, dbIdentity, sweepFolder, takePersisted, writePersisted, type KeptHandoffs } from "./handoff-persist.ts";

/** File name of the market database inside the data directory. */
export const MARKET_DB_FILE = "market.duckdb";

/** Exact type of prices and sizes (matches the 1e-18 scale of `common/market/decimal.ts`). */
export const MONEY = "DECIMAL(38,18)";

/** Market schema steps, oldest first. */
export const MARKET_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE instruments (
    venue VARCHAR NOT NULL, symbol VARCHAR NOT NULL, kind VARCHAR NOT NULL, source VARCHAR NOT NULL,
    tf_ms BIGINT, first_ts BIGINT, last_ts BIGINT, updated_at BIGINT NOT NULL, PRIMARY KEY (venue, symbol, kind)
  );
  CREATE TABLE trades (
    venue VARCHAR NOT NULL, symbol VARCHAR NOT NULL, ts BIGINT NOT NULL,
    price ${MONEY} NOT NULL, size ${MONEY} NOT NULL, side VARCHAR, trade_id VARCHAR
  );
  CREATE TABLE bars (
    venue VARCHAR NOT NULL, symbol VARCHAR NOT NULL, tf_ms BIGINT NOT NULL, ts BIGINT NOT NULL,
    open DOUBLE NOT NULL, high DOUBLE NOT NULL, low DOUBLE NOT NULL, close DOUBLE NOT NULL, volume DOUBLE NOT NULL
  );
  CREATE TABLE book_snapshots (venue VARCHAR NOT NULL, symbol VARCHAR NOT NULL, ts BIGINT NOT NULL, bids VARCHAR NOT NULL, asks VARCHAR NOT NULL);
  CREATE TABLE integrity_events (venue VARCHAR NOT NULL, symbol VARCHAR, ts BIGINT NOT NULL, type VARCHAR NOT NULL, detail VARCHAR);
  CREATE TABLE parquet_sources (
    id INTEGER PRIMARY KEY, venue VARCHAR NOT NULL, symbol VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    path VARCHAR NOT NULL, layout VARCHAR NOT NULL, added_at BIGINT NOT NULL
  );
  `,
];

/** An open market database. */
export interface MarketDb {
  instance: DuckDBInstance;
  /** The connection for writes (imports, registrations) and ordinary reads. */
  conn: DuckDBConnection;
  dataDir: string;
  file: string;
  readOnly: boolean;
  /** Data generations, bumped by every write path (see `generations.ts`). */
  generations: DataGenerations;
  /** Warm bars hand-off files (see `handoff-cache.ts`, `bars-cache.ts`). */
  handoffs: HandoffCache;
  /** A new connection on the same database (recorder, queries). */
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

async function schemaVersion(conn: DuckDBConnection): Promise<number> {
  const exists = await conn.runAndReadAll("SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main'");
  if (exists.getRows()[0]![0] === 0) return 0;
  const row = await conn.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'");
  return Number(row.getRows()[0]?.[0] ?? 0);
}

/** Applies pending market migrations (each in a transaction); refuses a newer schema. */
export async function migrateMarket(conn: DuckDBConnection, file: string, migrations: readonly string[] = MARKET_MIGRATIONS): Promise<number> {
  const current = await schemaVersion(conn);
  if (current > migrations.length) {
    throw new SchemaTooNewError(
      `${file} has schema version ${current}, newer than this build of the workstation knows (${migrations.length}); upgrade the workstation`,
    );
  }
  for (let v = current; v < migrations.length; v++) {
    await conn.run("BEGIN TRANSACTION");
    try {
      if (v === 0) await conn.run("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)");
      await conn.run(migrations[v]!);
      await conn.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', '${v + 1}')`);
      await conn.run("COMMIT");
    } catch (err) {
      await conn.run("ROLLBACK");
      throw err;
    }
  }
  return migrations.length;
}

/** The owner's cache folder of bars hand-off files, inside the data directory. */
export const HANDOFF_FOLDER = path.join("cache", "bars");

/**
 * Writes the index of the hand-offs kept at close, stamped with the closed database file's
 * identity; on any failure the folder is emptied instead (the cache is only ever an optimisation).
 */
function persistHandoffs(folder: string, file: string, kept: KeptHandoffs): void {
  try {
    const db = dbIdentity(file);
    if (db !== null && kept.entries.length > 0) {
      writePersisted(folder, { format: HANDOFF_CACHE_FORMAT, app: VERSION, db, ...kept });
      return;
    }
  } catch {
    // Not persisted: the files go below.
  }
  try {
    sweepFolder(folder, new Set());
  } catch {
    // The folder is gone or unusable: the next open sweeps what is left.
  }
}

/**
 * The hand-off cache of an opened database: the owner's cache folder with what the last clean
 * close persisted (when `identity` says the file is as it was left), or, when that folder cannot be
 * used (permissions, a file in its place), a private temporary cache like a read-only opener's.
 */
function openHandoffs(dataDir: string, readOnly: boolean, maxBytes: number | undefined, identity: string | null, generations: DataGenerations): { handoffs: HandoffCache; folder: string | undefined } {
  const cap = maxBytes === undefined ? {} : { maxBytes };
  if (!readOnly) {
    const folder = path.join(dataDir, HANDOFF_FOLDER);
    try {
      const handoffs = new HandoffCache({ ...cap, folder });
      handoffs.restore(takePersisted(folder, identity), generations);
      return { handoffs, folder };
    } catch {
      // Fall through to a private cache: the cache is an optimisation, never a reason not to open.
    }
  }
  return { handoffs: new HandoffCache(cap), folder: undefined };
}

/** Opens the market database of a data directory (migrating it unless read-only). */
export async function openMarketDb(
  dataDir: string,
  opts: { readOnly?: boolean; threads?: number; handoffCacheBytes?: number; /** Schema steps (tests); the build's own by default. */ migrations?: readonly string[] } = {},
): Promise<MarketDb> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, MARKET_DB_FILE);
  const readOnly = opts.readOnly === true;
  if (readOnly && !fs.existsSync(file)) throw new Error(`no market data yet in ${dataDir} (nothing imported or recorded)`);
  const options: Record<string, string> = {};
  if (readOnly) options.access_mode = "READ_ONLY";
  if (opts.threads) options.threads = String(opts.threads);
  // Taken before DuckDB opens the file: the persisted hand-offs are valid only for the file as it was left.
  const identity = readOnly ? null : dbIdentity(file);
  const instance = await DuckDBInstance.create(file, options);
  // DuckDB creates its files with the process umask (0o077 in core and the CLI); an older file is tightened here.
  if (!readOnly) makePrivate(file, `${file}.wal`);
  const conn = await instance.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    if (readOnly) {
      const version = await schemaVersion(conn);
      if (version > MARKET_MIGRATIONS.length) throw new SchemaTooNewError(`${file} has schema version ${version}, newer than this build knows`);
    } else {
      await migrateMarket(conn, file, opts.migrations);
      // A recording that died since the last open leaves a marker: say so beside its data. Never a reason not to open.
      await recoverUncleanRecording(conn, dataDir).catch(() => 0);
    }
  } catch (err) {
    conn.closeSync();
    instance.closeSync();
    throw err;
  }
  const generations = new DataGenerations();
  // The persisted hand-offs are trusted only if opening (and migrating) left the file as it was.
  const unchanged = identity !== null && dbIdentity(file) === identity ? identity : null;
  const { handoffs, folder } = openHandoffs(dataDir, readOnly, opts.handoffCacheBytes, unchanged, generations);
  return {
    instance,
    conn,
    dataDir,
    file,
    readOnly,
    generations,
    handoffs,
    connect: async () => {
      const c = await instance.connect();
      await c.run("SET TimeZone = 'UTC'");
      return c;
    },
    close: () => {
      let kept: KeptHandoffs = { entries: [], venues: [] };
      try {
        kept = handoffs.close(generations);
      } catch {
        // Files that could not be removed are swept below or at the next open.
      }
      conn.closeSync();
      instance.closeSync();
      if (folder) persistHandoffs(folder, file, kept);
    },
  };
}
