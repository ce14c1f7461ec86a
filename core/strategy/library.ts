/**
 * Saved strategies on the app database's `strategies` / `strategy_versions` tables — the one place
 * that writes a version. A save adds a new version only when the source changed, so the editor,
 * the assistant and saved backtest runs all agree on what "version N" of a strategy is.
 */
import type Database from "better-sqlite3";

/** A strategy's latest saved version. */
export interface SavedStrategy {
  name: string;
  version: number;
  source: string;
}

/** Where a save landed. */
export interface SavedVersion {
  strategyId: number;
  /** Row id of the version (what backtest runs link to). */
  versionId: number;
  version: number;
}

/** Adds `source` as the next version of strategy `strategyId` unless it equals the latest; runs inside the caller's transaction. */
export function appendVersionIfChanged(db: Database.Database, strategyId: number, source: string, note: string | null, now: number): SavedVersion {
  const latest = db
    .prepare<[number], { id: number; version: number; source: string }>("SELECT id, version, source FROM strategy_versions WHERE strategy_id = ? ORDER BY version DESC LIMIT 1")
    .get(strategyId);
  if (latest && latest.source === source) return { strategyId, versionId: latest.id, version: latest.version };
  const version = (latest?.version ?? 0) + 1;
  const info = db.prepare("INSERT INTO strategy_versions (strategy_id, version, source, note, created_at) VALUES (?, ?, ?, ?, ?)").run(strategyId, version, source, note, now);
  db.prepare("UPDATE strategies SET updated_at = ? WHERE id = ?").run(now, strategyId);
  return { strategyId, versionId: Number(info.lastInsertRowid), version };
}

/** Saves `source` under `name`, creating the strategy when new; a new version only when the source changed. */
export function saveStrategyVersion(db: Database.Database, name: string, source: string, note: string | null, now = Date.now()): SavedVersion {
  return db.transaction(() => {
    db.prepare("INSERT INTO strategies (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING").run(name, now, now);
    const { id } = db.prepare<[string], { id: number }>("SELECT id FROM strategies WHERE name = ?").get(name)!;
    return appendVersionIfChanged(db, id, source, note, now);
  })();
}

/** The latest version of a saved strategy (names match case-insensitively when unambiguous); null when none. */
export function loadStrategy(db: Database.Database, name: string): SavedStrategy | null {
  const query = (where: string): SavedStrategy[] =>
    db
      .prepare<[string], SavedStrategy>(
        `SELECT s.name AS name, v.version AS version, v.source AS source FROM strategies s
         JOIN strategy_versions v ON v.strategy_id = s.id
         WHERE ${where} AND v.version = (SELECT max(version) FROM strategy_versions WHERE strategy_id = s.id)`,
      )
      .all(name);
  const exact = query("s.name = ?");
  if (exact.length === 1) return exact[0]!;
  const loose = query("lower(s.name) = lower(?)");
  return loose.length === 1 ? loose[0]! : null;
}

/** Names of saved strategies, most recently changed first. */
export function strategyNames(db: Database.Database, limit = 50): string[] {
  return db
    .prepare<[number], { name: string }>("SELECT name FROM strategies ORDER BY updated_at DESC LIMIT ?")
    .all(limit)
    .map((r) => r.name);
}
