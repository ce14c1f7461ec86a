/**
 * Saved strategies in the app database (`strategies` / `strategy_versions`): the assistant saves a
 * new version when the source changed (the same rule as saved runs) and reads the latest version
 * back by name to run it.
 */
import type Database from "better-sqlite3";

/** A strategy's latest saved version. */
export interface SavedStrategy {
  name: string;
  version: number;
  source: string;
}

/** Saves `source` as the newest version of `name` (no new version when unchanged); returns the version. */
export function saveStrategyVersion(db: Database.Database, name: string, source: string, note: string, now = Date.now()): number {
  return db.transaction(() => {
    db.prepare("INSERT INTO strategies (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING").run(name, now, now);
    const { id } = db.prepare<[string], { id: number }>("SELECT id FROM strategies WHERE name = ?").get(name)!;
    const latest = db
      .prepare<[number], { version: number; source: string }>("SELECT version, source FROM strategy_versions WHERE strategy_id = ? ORDER BY version DESC LIMIT 1")
      .get(id);
    if (latest && latest.source === source) return latest.version;
    const version = (latest?.version ?? 0) + 1;
    db.prepare("INSERT INTO strategy_versions (strategy_id, version, source, note, created_at) VALUES (?, ?, ?, ?, ?)").run(id, version, source, note, now);
    db.prepare("UPDATE strategies SET updated_at = ? WHERE id = ?").run(now, id);
    return version;
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
