/**
 * The local store of a data directory: the SQLite app database and the DuckDB market database,
 * both opened lazily on first use (core start stays fast; `serve` works on an empty folder).
 * Each market operation gets its own DuckDB connection, so a long import or a query being
 * interrupted never disturbs another caller.
 */
import fs from "node:fs";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { StoreSettings, StoreStatus } from "../../common/api/store.ts";
import { openAppDb, type AppDb } from "./app-db.ts";
import { archiveOldTrades } from "./archive.ts";
import { openMarketDb, type MarketDb } from "./market-db.ts";
import { BarsPreparations, type PrepareLog, type SeriesRef } from "./prepare.ts";
import { Recorder } from "./recorder.ts";

export { openAppDb, type AppDb } from "./app-db.ts";
export { openMarketDb, type MarketDb } from "./market-db.ts";
export { Recorder } from "./recorder.ts";

const SETTINGS_KEY = "store";
/** Store settings until changed: live venue feeds are recorded, up to 5 GB on disk. */
export const DEFAULT_STORE_SETTINGS: StoreSettings = { archiveAfterDays: null, maxRecordingBytes: 5_000_000_000, recordFeeds: true };

/** Options of {@link Store}. */
export interface StoreOptions {
  /** Open the market database read-only (CLI queries without a running core). */
  readOnly?: boolean;
  /** Called when the recorder raises an alarm (disk full, cap reached) or the app database's background checkpoint fails. */
  onAlarm?: (message: string) => void;
  /**
   * Called with the most bars a cached series holds, once the market database opened with cached
   * series (kept from the last session) and after each preparation: core readies a worker's
   * buffers for a run of that size while it is idle (worker method `bars.reserve`).
   */
  onBarsCached?: (bars: number) => void;
  /** Checkpoint the app database's write-ahead log off the event loop (the running core); see `openAppDb`. */
  backgroundCheckpoint?: boolean;
}

/** Lazily opened stores of one data directory. */
export class Store {
  readonly dataDir: string;
  private readonly opts: StoreOptions;
  private appDb: AppDb | null = null;
  private marketDb: Promise<MarketDb> | null = null;
  private recorderInstance: Promise<Recorder> | null = null;
  private retentionTimer: ReturnType<typeof setInterval> | null = null;
  private readonly preparations = new BarsPreparations();
  private readonly settingsListeners = new Set<(settings: StoreSettings) => void>();

  constructor(dataDir: string, opts: StoreOptions = {}) {
    this.dataDir = dataDir;
    this.opts = opts;
  }

  /** The SQLite app database (opened and migrated on first call). */
  app(): AppDb {
    this.appDb ??= openAppDb(this.dataDir, undefined, { backgroundCheckpoint: this.opts.backgroundCheckpoint === true, onCheckpointError: this.opts.onAlarm });
    return this.appDb;
  }

  /** The DuckDB market database (opened and migrated on first call). */
  market(): Promise<MarketDb> {
    this.marketDb ??= openMarketDb(this.dataDir, { readOnly: this.opts.readOnly === true }).then(
      (db) => {
        this.barsCached(db);
        return db;
      },
      (err: unknown) => {
        this.marketDb = null;
        throw err;
      },
    );
    return this.marketDb;
  }

  private barsCached(db: MarketDb): void {
    const bars = db.handoffs.largestBars();
    if (bars > 0) this.opts.onBarsCached?.(bars);
  }

  /** Runs `fn` with a market database view on a connection of its own. */
  async withMarket<T>(fn: (db: MarketDb) => Promise<T>): Promise<T> {
    const db = await this.market();
    const conn: DuckDBConnection = await db.connect();
    try {
      return await fn({ ...db, conn });
    } finally {
      conn.closeSync();
    }
  }

  /** The recorder (started on first call) with the current disk cap. */
  recorder(): Promise<Recorder> {
    this.recorderInstance ??= (async () => {
      const recorder = new Recorder(await this.market(), {
        maxBytes: this.settings().maxRecordingBytes,
        ...(this.opts.onAlarm ? { onAlarm: this.opts.onAlarm } : {}),
      });
      await recorder.start();
      this.retentionTimer = setInterval(() => void this.runRetention().catch(() => undefined), 3_600_000);
      this.retentionTimer.unref();
      return recorder;
    })();
    return this.recorderInstance;
  }

  /**
   * Builds the cached full-range bars of `series` in the background after a write committed (see
   * `prepare.ts`); never throws (failures go to `log`). Resolves when the preparation ends.
   */
  prepareBars(db: MarketDb, series: SeriesRef, log?: PrepareLog): Promise<void> {
    return this.preparations.schedule(db, series, log).then(() => this.barsCached(db));
  }

  /** Store settings (archive age, recording cap). */
  settings(): StoreSettings {
    return { ...DEFAULT_STORE_SETTINGS, ...this.app().getSetting<Partial<StoreSettings>>(SETTINGS_KEY) };
  }

  /** Changes some settings; returns them all. Takes effect for a recorder started afterwards. */
  updateSettings(patch: Partial<StoreSettings>): StoreSettings {
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<StoreSettings>;
    const next: StoreSettings = { ...this.settings(), ...defined };
    this.app().setSetting(SETTINGS_KEY, next);
    for (const listener of this.settingsListeners) listener(next);
    return next;
  }

  /** Calls `listener` after each settings change; returns the function that stops it. */
  onSettingsChanged(listener: (settings: StoreSettings) => void): () => void {
    this.settingsListeners.add(listener);
    return () => this.settingsListeners.delete(listener);
  }

  /** Sizes and recorder health. */
  async status(): Promise<StoreStatus> {
    const recorder = this.recorderInstance ? (await this.recorderInstance).status() : { recording: false, buffered: 0, written: 0, lastFlushAt: null, alarm: null };
    const db = path.join(this.dataDir, "market.duckdb");
    return {
      marketDbBytes: size(db) + size(`${db}.wal`),
      archiveBytes: folderSize(path.join(this.dataDir, "archive")),
      recorder,
      settings: this.settings(),
    };
  }

  /** Moves recorded trades older than the `archiveAfterDays` setting to Parquet; returns rows moved. */
  async runRetention(now = Date.now()): Promise<number> {
    const days = this.settings().archiveAfterDays;
    if (days === null) return 0;
    return this.withMarket((db) => archiveOldTrades(db, days, now));
  }

  /** Flushes the recorder and closes both databases. */
  async close(): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    if (this.recorderInstance) await (await this.recorderInstance).stop().catch(() => undefined);
    this.recorderInstance = null;
    await this.preparations.close();
    if (this.marketDb) (await this.marketDb.catch(() => null))?.close();
    this.marketDb = null;
    this.appDb?.close();
    this.appDb = null;
  }
}

function size(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function folderSize(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += size(path.join(entry.parentPath, entry.name));
  }
  return total;
}
