/**
 * Saves a backtest or sweep run from the CLI into the data directory's app database. A local
 * backtest opens the database ahead ({@link openRunSave}), while its worker runs, so only the
 * insert is left once the output is printed.
 */
import { openAppDb, type AppDb } from "../store/app-db.ts";
import type { BacktestRunRecord, SweepRunRecord } from "../strategy/runs.ts";
import { sqliteRunRepository } from "../strategy/runs-sqlite.ts";
import type { CliIo } from "./command.ts";

/** Saves the run into an open app database, or opens it first; a failure to save is a warning on stderr, never a failed command. */
function saveInto(open: () => AppDb, record: BacktestRunRecord | SweepRunRecord, io: CliIo): void {
  try {
    const app = open();
    try {
      sqliteRunRepository(app.db).save(record);
    } finally {
      app.close();
    }
  } catch (err) {
    io.err(`warning: the ${record.kind === "sweep" ? "sweep" : "run"} was not saved: ${(err as Error).message}`);
  }
}

/** Saves the run; a failure to save is a warning on stderr, never a failed command. */
export function saveRunFromCli(dataDir: string, record: BacktestRunRecord | SweepRunRecord, io: CliIo): void {
  saveInto(() => openAppDb(dataDir), record, io);
}

/** A run's save with the app database opened ahead. */
export interface RunSave {
  /** Saves the run (see {@link saveRunFromCli}) and closes the database. */
  save(record: BacktestRunRecord | SweepRunRecord, io: CliIo): void;
  /** Closes the database when the run is not saved after all. */
  close(): void;
}

/**
 * Opens the app database once `after` settles (the run's worker is busy then, and this process
 * idle), in a task of its own so the run's request goes out first; an open that failed is retried
 * by `save`, whose warning says why.
 */
export function openRunSave(dataDir: string, after: Promise<unknown>): RunSave {
  let app: AppDb | null = null;
  let done = false;
  const openNow = (): void => {
    if (done || app !== null) return;
    try {
      app = openAppDb(dataDir);
    } catch {
      // save() opens it again and reports the error.
    }
  };
  void after.then(
    () => setImmediate(openNow),
    () => undefined,
  );
  return {
    save(record, io) {
      done = true;
      const opened = app;
      app = null;
      saveInto(() => opened ?? openAppDb(dataDir), record, io);
    },
    close() {
      done = true;
      app?.close();
      app = null;
    },
  };
}
