/**
 * Strategies sync as immutable versions: each local version gets a content hash of (name, parent
 * hash, source), its parent being the version it followed locally. A version is one record that
 * never changes; one arriving from another device is checked against its hash and appended locally
 * with its parent link, so concurrent edits on two devices show up as a fork (both kept).
 */
import type Database from "better-sqlite3";
import { contentHash, IntegrityError } from "../../common/cloud/crypto.ts";
import { insertSyncedVersion, type SyncedVersion } from "../strategy/library.ts";

/** The record collection of strategy versions. */
export const STRATEGY_COLLECTION = "strategy";

/** The hash a version is known by. */
export function versionHash(name: string, parent: string | null, source: string): Promise<string> {
  return contentHash(["workstation-strategy-version", name, parent, source]);
}

interface VersionRow {
  id: number;
  name: string;
  source: string;
  note: string | null;
  created_at: number;
  content_hash: string | null;
  parent_hash: string | null;
}

/** Gives every local version without one its content hash and parent link. */
export async function stampStrategyVersions(db: Database.Database): Promise<void> {
  const rows = db
    .prepare<[], VersionRow>(
      `SELECT v.id, s.name, v.source, v.note, v.created_at, v.content_hash, v.parent_hash FROM strategy_versions v
       JOIN strategies s ON s.id = v.strategy_id ORDER BY v.strategy_id, v.version`,
    )
    .all();
  const update = db.prepare("UPDATE OR IGNORE strategy_versions SET content_hash = ?, parent_hash = ? WHERE id = ?");
  let previous: { name: string; hash: string | null } | null = null;
  for (const r of rows) {
    let hash = r.content_hash;
    if (hash === null) {
      const parent = previous?.name === r.name ? previous.hash : null;
      hash = await versionHash(r.name, parent, r.source);
      update.run(hash, parent, r.id);
    }
    previous = { name: r.name, hash };
  }
}

/** Local versions not yet on the service, as record values. */
export function unsyncedVersions(db: Database.Database): SyncedVersion[] {
  return db
    .prepare<[], VersionRow>(
      `SELECT v.id, s.name, v.source, v.note, v.created_at, v.content_hash, v.parent_hash FROM strategy_versions v
       JOIN strategies s ON s.id = v.strategy_id
       WHERE v.content_hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sync_records r WHERE r.collection = 'strategy' AND r.natural_key = v.content_hash)
       ORDER BY v.created_at, v.id`,
    )
    .all()
    .map((r) => ({ name: r.name, source: r.source, note: r.note, createdAt: r.created_at, hash: r.content_hash!, parent: r.parent_hash }));
}

function parseVersion(value: unknown): SyncedVersion {
  const v = value as Partial<SyncedVersion> | null;
  if (!v || typeof v.name !== "string" || typeof v.source !== "string" || typeof v.hash !== "string" || typeof v.createdAt !== "number" || (v.parent !== null && typeof v.parent !== "string")) {
    throw new IntegrityError("a strategy version record is malformed");
  }
  return { name: v.name, source: v.source, note: typeof v.note === "string" ? v.note : null, createdAt: v.createdAt, hash: v.hash, parent: v.parent ?? null };
}

/** Checks a pulled version against its hash; throws {@link IntegrityError} when they differ. */
export async function verifiedVersion(value: unknown): Promise<SyncedVersion> {
  const v = parseVersion(value);
  if ((await versionHash(v.name, v.parent, v.source)) !== v.hash) throw new IntegrityError(`strategy version ${v.hash.slice(0, 12)} does not match its content hash`);
  return v;
}

/** Appends a pulled version unless it is already here; returns whether it forked its strategy. */
export function applyVersion(db: Database.Database, v: SyncedVersion): { added: boolean; fork: boolean } {
  if (db.prepare("SELECT 1 FROM strategy_versions WHERE content_hash = ?").get(v.hash)) return { added: false, fork: false };
  const sibling = db
    .prepare<[string, string], { n: number }>(
      "SELECT count(*) AS n FROM strategy_versions v JOIN strategies s ON s.id = v.strategy_id WHERE s.name = ? AND coalesce(v.parent_hash, '') = ? AND v.content_hash IS NOT NULL",
    )
    .get(v.name, v.parent ?? "")!.n;
  insertSyncedVersion(db, v);
  return { added: true, fork: sibling > 0 };
}
