/**
 * The SQLite app database (`app.sqlite` in the data directory): strategies and their versions,
 * settings, watchlists, alerts, conversations, backtest runs, orders, fills and the audit log.
 * WAL mode (in the running core, checkpointed from a worker thread); migrations from
 * `app-migrations.ts` run at open, each in its own transaction. A database whose schema is newer
 * than this build knows is refused, untouched.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { decimalFromNumber } from "../../common/market/decimal.ts";
import { APP_MIGRATIONS, type Migration } from "./app-migrations.ts";
import { createPrivateFile, makePrivate } from "../platform/private-files.ts";
import { WalCheckpointer } from "./wal-checkpointer.ts";

/** File name of the app database inside the data directory. */
export const APP_DB_FILE = "app.sqlite";

/** The schema is newer than this build: the user ran a newer version on this data directory. */
export class SchemaTooNewError extends Error {
  override name = "SchemaTooNewError";
}

/** The open app database. */
export interface AppDb {
  db: Database.Database;
  /** Schema version after migrations. */
  version: number;
  getSetting<T>(key: string): T | undefined;
  setSetting(key: string, value: unknown): void;
  close(): void;
}

/** Applies pending migrations; returns the resulting version. SQL may call `decimal_text(x)`: a REAL as its canonical decimal string. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = APP_MIGRATIONS, file = "the app database"): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > migrations.length) {
    throw new SchemaTooNewError(
      `${file} has schema version ${current}, newer than this build of the workstation knows (${migrations.length}); ` +
        "upgrade the workstation or use another data directory",
    );
  }
  db.function("decimal_text", { deterministic: true }, (x: unknown) => (typeof x === "number" ? decimalFromNumber(x) : x));
  for (let v = current; v < migrations.length; v++) {
    const step = db.transaction(() => {
      db.exec(migrations[v]!.sql);
      db.pragma(`user_version = ${v + 1}`);
    });
    step.immediate();
  }
  return migrations.length;
}

/** Options of {@link openAppDb}. */
export interface AppDbOptions {
  /**
   * Checkpoint the write-ahead log from a worker thread instead of inside commits (the running core:
   * a commit that must answer a trade never stalls on a checkpoint); see {@link WalCheckpointer}.
   */
  backgroundCheckpoint?: boolean;
  /** A background checkpoint failed (the connection checkpoints itself again if its worker died). */
  onCheckpointError?: (message: string) => void;
}

/** Opens (creating if needed) the app database of a data directory and migrates it. */
export function openAppDb(dataDir: string, migrations: readonly Migration[] = APP_MIGRATIONS, options: AppDbOptions = {}): AppDb {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, APP_DB_FILE);
  // Created 0600 here, so SQLite gives its -wal, -shm and -journal files the same owner-only mode.
  makePrivate(file, `${file}-wal`, `${file}-shm`, `${file}-journal`);
  createPrivateFile(file);
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    const version = migrate(db, migrations, file);
    const get = db.prepare<[string], { value: string }>("SELECT value FROM settings WHERE key = ?");
    const set = db.prepare<[string, string, number]>(
      "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    );
    const checkpointer = options.backgroundCheckpoint && WalCheckpointer.applies(db) ? new WalCheckpointer(db, { onError: options.onCheckpointError }) : null;
    return {
      db,
      version,
      getSetting: <T>(key: string) => {
        const row = get.get(key);
        return row ? (JSON.parse(row.value) as T) : undefined;
      },
      setSetting: (key, value) => void set.run(key, JSON.stringify(value), Date.now()),
      close: () => {
        // The worker's last round runs on its own connection; closing this one first is safe.
        void checkpointer?.stop();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
