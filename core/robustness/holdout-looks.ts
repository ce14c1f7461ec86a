/**
 * Holdout once: a sweep's holdout is meant to be looked at once per strategy version. Every look
 * (a sweep with a holdout) is recorded in the app database's `holdout_looks`; the count for a
 * look is the number of recorded looks by the same strategy version (source hash) on the same data
 * (source, symbol, timeframe) whose holdout windows overlap this one, this look included — 1 is
 * the clean first look, more means the holdout has been seen before.
 */
import type Database from "better-sqlite3";
import { openAppDb } from "../store/app-db.ts";
import type { CliIo } from "../cli/command.ts";

/** One look at a holdout (times UTC ms, `to` inclusive). */
export interface HoldoutLook {
  strategyHash: string;
  /** Identifies the data: source, symbol and timeframe. */
  dataKey: string;
  from: number;
  to: number;
}

/** Records the look; returns how many looks at an overlapping holdout this version has had, this one included. */
export function recordHoldoutLook(db: Database.Database, look: HoldoutLook, now = Date.now()): number {
  const tx = db.transaction(() => {
    db.prepare("INSERT INTO holdout_looks (strategy_hash, data_key, holdout_from, holdout_to, looked_at) VALUES (?, ?, ?, ?, ?)").run(
      look.strategyHash,
      look.dataKey,
      look.from,
      look.to,
      now,
    );
    const row = db
      .prepare<[string, string, number, number], { n: number }>(
        "SELECT COUNT(*) AS n FROM holdout_looks WHERE strategy_hash = ? AND data_key = ? AND holdout_from <= ? AND holdout_to >= ?",
      )
      .get(look.strategyHash, look.dataKey, look.to, look.from);
    return row?.n ?? 1;
  });
  return tx.immediate();
}

/** {@link recordHoldoutLook} on a data directory's app database; a failure is a warning on stderr and counts as this look alone. */
export function recordHoldoutLookFromCli(dataDir: string, look: HoldoutLook, io: CliIo): number {
  try {
    const app = openAppDb(dataDir);
    try {
      return recordHoldoutLook(app.db, look);
    } finally {
      app.close();
    }
  } catch (err) {
    io.err(`warning: the holdout look was not recorded: ${(err as Error).message}`);
    return 1;
  }
}
