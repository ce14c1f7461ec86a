/**
 * The strategy library of the editor, on the app database's `strategies` / `strategy_versions`
 * tables: a save stores a new version only when the source changed; rename, duplicate (with its
 * latest source as version 1) and delete (with its versions). Backtest runs record the version
 * they ran through the same tables; versions are written by core/strategy/library.ts.
 */
import type Database from "better-sqlite3";
import type { StrategyDetail, StrategySummary, StrategyVersion } from "../../common/api/ui.ts";
import { appendVersionIfChanged, strategyVersions } from "../strategy/library.ts";


/** The note of versions a saved backtest run wrote (`core/strategy/runs-sqlite.ts`). */
export const RUN_ONLY_NOTE = "saved by a backtest";
/** A name the library refuses, or a strategy that does not exist. */
export class StrategyLibraryError extends Error {
  override name = "StrategyLibraryError";
  readonly code: "not_found" | "conflict" | "bad_request";

  constructor(code: "not_found" | "conflict" | "bad_request", message: string) {
    super(message);
    this.code = code;
  }
}

interface Row {
  id: number;
  name: string;
  updated_at: number;
  version: number | null;
}

/** Strategies and their versions. */
export class StrategyLibrary {
  private readonly open: () => Database.Database;

  /** `open` returns the app database (called on each use, so it may open lazily). */
  constructor(open: () => Database.Database) {
    this.open = open;
  }

  private get db(): Database.Database {
    return this.open();
  }

  /**
   * Every strategy someone saved, with its latest version number, most recently changed first.
   * Strategies only a backtest wrote (an unsaved draft's runs, see `RUN_ONLY_NOTE`) are not listed:
   * running a draft leaves the library as it was.
   */
  list(): StrategySummary[] {
    return this.db
      .prepare<[string], Row>(
        `SELECT s.id, s.name, s.updated_at, (SELECT max(version) FROM strategy_versions v WHERE v.strategy_id = s.id) AS version FROM strategies s
         WHERE NOT EXISTS (SELECT 1 FROM strategy_versions v WHERE v.strategy_id = s.id)
            OR EXISTS (SELECT 1 FROM strategy_versions v WHERE v.strategy_id = s.id AND (v.note IS NULL OR v.note <> ?))
         ORDER BY s.updated_at DESC, s.id DESC`,
      )
      .all(RUN_ONLY_NOTE)
      .map((r) => ({ id: r.id, name: r.name, updatedAt: r.updated_at, latestVersion: r.version ?? 0 }));
  }

  /** A strategy with the source of its latest version and the list of its versions. */
  get(id: number): StrategyDetail {
    const s = this.row(id);
    // A fork is open while the latest version is one of its sides; saving the pick closes it.
    const history = strategyVersions(this.db, s.name) ?? [];
    const forks = new Set(history.at(-1)?.fork ? history.filter((v) => v.fork).map((v) => v.version) : []);
    const versions = this.db
      .prepare<[number], { version: number; created_at: number; note: string | null }>("SELECT version, created_at, note FROM strategy_versions WHERE strategy_id = ? ORDER BY version DESC")
      .all(id)
      .map((v) => ({ version: v.version, createdAt: v.created_at, note: v.note, ...(forks.has(v.version) ? { fork: true } : {}) }));
    const latest = versions[0] ? this.version(id, versions[0].version).source : "";
    return { id, name: s.name, updatedAt: s.updated_at, latestVersion: versions[0]?.version ?? 0, source: latest, versions };
  }

  /** The source of one version. */
  version(id: number, version: number): StrategyVersion {
    const v = this.db
      .prepare<[number, number], { source: string; created_at: number; note: string | null }>("SELECT source, created_at, note FROM strategy_versions WHERE strategy_id = ? AND version = ?")
      .get(id, version);
    if (!v) throw new StrategyLibraryError("not_found", `strategy ${id} has no version ${version}`);
    return { version, createdAt: v.created_at, note: v.note, source: v.source };
  }

  /** Saves source under a name (creating the strategy when new); a new version only when it changed. */
  save(name: string, source: string, note: string | null = null, id?: number): StrategyDetail {
    const db = this.db;
    const saved = db.transaction(() => {
      const now = Date.now();
      const sid = id ?? this.create(name, now);
      if (id !== undefined) this.row(id);
      return appendVersionIfChanged(db, sid, source, note, now).strategyId;
    }).immediate();
    return this.get(saved);
  }

  /** Renames a strategy. */
  rename(id: number, name: string): StrategyDetail {
    this.row(id);
    this.checkFree(name, id);
    this.db.prepare("UPDATE strategies SET name = ?, updated_at = ? WHERE id = ?").run(name, Date.now(), id);
    return this.get(id);
  }

  /** Copies a strategy's latest source into a new strategy. */
  duplicate(id: number, name: string): StrategyDetail {
    const src = this.get(id);
    return this.save(name, src.source, `copy of ${src.name} v${src.latestVersion}`);
  }

  /** Deletes a strategy and its versions (runs keep their record; their version link is cleared). */
  delete(id: number): boolean {
    return this.db.prepare("DELETE FROM strategies WHERE id = ?").run(id).changes > 0;
  }

  /** A new strategy; a name only a draft's runs used is taken over (it was never in the library). */
  private create(name: string, now: number): number {
    const runOnly = this.db
      .prepare<[string, string], { id: number }>(
        "SELECT s.id FROM strategies s WHERE s.name = ? AND NOT EXISTS (SELECT 1 FROM strategy_versions v WHERE v.strategy_id = s.id AND (v.note IS NULL OR v.note <> ?))",
      )
      .get(name, RUN_ONLY_NOTE);
    if (runOnly) return runOnly.id;
    this.checkFree(name);
    return Number(this.db.prepare("INSERT INTO strategies (name, created_at, updated_at) VALUES (?, ?, ?)").run(name, now, now).lastInsertRowid);
  }

  private checkFree(name: string, except?: number): void {
    const other = this.db.prepare<[string], { id: number }>("SELECT id FROM strategies WHERE name = ?").get(name);
    if (other && other.id !== except) throw new StrategyLibraryError("conflict", `a strategy named "${name}" already exists`);
  }

  private row(id: number): { name: string; updated_at: number } {
    const s = this.db.prepare<[number], { name: string; updated_at: number }>("SELECT name, updated_at FROM strategies WHERE id = ?").get(id);
    if (!s) throw new StrategyLibraryError("not_found", `no strategy with id ${id}`);
    return s;
  }
}
