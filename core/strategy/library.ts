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

/** A strategy version that arrived from another device through sync. */
export interface SyncedVersion {
  name: string;
  source: string;
  note: string | null;
  createdAt: number;
  /** Content hash of (name, parent, source). */
  hash: string;
  /** Hash of the version it was edited from; null for a first version. */
  parent: string | null;
}

/** Appends a synced version as the strategy's next local version (always, even when another version has the same source). */
export function insertSyncedVersion(db: Database.Database, v: SyncedVersion): SavedVersion {
  db.prepare("INSERT INTO strategies (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING").run(v.name, v.createdAt, v.createdAt);
  const { id } = db.prepare<[string], { id: number }>("SELECT id FROM strategies WHERE name = ?").get(v.name)!;
  const version = (db.prepare<[number], { v: number | null }>("SELECT max(version) AS v FROM strategy_versions WHERE strategy_id = ?").get(id)?.v ?? 0) + 1;
  const info = db
    .prepare("INSERT INTO strategy_versions (strategy_id, version, source, note, created_at, content_hash, parent_hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .run(id, version, v.source, v.note, v.createdAt, v.hash, v.parent);
  db.prepare("UPDATE strategies SET updated_at = max(updated_at, ?) WHERE id = ?").run(v.createdAt, id);
  return { strategyId: id, versionId: Number(info.lastInsertRowid), version };
}

/** One version in a strategy's history. */
export interface VersionInfo {
  version: number;
  createdAt: number;
  note: string | null;
  hash: string | null;
  parent: string | null;
  /** Another version shares this one's parent: concurrent edits on two devices, both kept. */
  fork: boolean;
}

/** Every version of a strategy (exact name), oldest first; null when there is no such strategy. */
export function strategyVersions(db: Database.Database, name: string): VersionInfo[] | null {
  const s = db.prepare<[string], { id: number }>("SELECT id FROM strategies WHERE name = ?").get(name);
  if (!s) return null;
  const rows = db
    .prepare<[number], { version: number; created_at: number; note: string | null; content_hash: string | null; parent_hash: string | null }>(
      "SELECT version, created_at, note, content_hash, parent_hash FROM strategy_versions WHERE strategy_id = ? ORDER BY version",
    )
    .all(s.id);
  const children = new Map<string, number>();
  for (const r of rows) if (r.content_hash !== null) children.set(r.parent_hash ?? "", (children.get(r.parent_hash ?? "") ?? 0) + 1);
  return rows.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    note: r.note,
    hash: r.content_hash,
    parent: r.parent_hash,
    fork: r.content_hash !== null && (children.get(r.parent_hash ?? "") ?? 0) > 1,
  }));
}

/** A saved strategy in the list: its name, latest version and when it last changed. */
export interface StrategySummary {
  name: string;
  versions: number;
  updatedAt: number;
}

/** Every saved strategy, by name. */
export function listStrategies(db: Database.Database): StrategySummary[] {
  return db
    .prepare<[], StrategySummary>(
      "SELECT s.name AS name, (SELECT count(*) FROM strategy_versions v WHERE v.strategy_id = s.id) AS versions, s.updated_at AS updatedAt FROM strategies s ORDER BY s.name",
    )
    .all();
}
