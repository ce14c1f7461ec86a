/**
 * What a collection that merges per field looks like to the sync round, what applying a pulled
 * record may need beyond the database (the alerts service's validation), and the settings-row
 * helpers the adapters share.
 */
import type Database from "better-sqlite3";
import type { AlertRule } from "../../common/alerts/types.ts";

/** Plain field values of one item. */
export type FieldValues = Record<string, unknown>;

/** What applying pulled records may need beyond the database. */
export interface ApplyContext {
  /** Validates a pulled alert rule as the alerts service would; throws why it does not validate here. */
  validateAlertRule(raw: unknown): AlertRule;
  /** Alert rules this round saved or deleted (the running alerts service reloads them). */
  changedAlertRules: Set<string>;
  /** Why pulled alert rules were kept aside, by id: told once the pull is settled, if they still are. */
  alertNotes: Map<string, string>;
  /** A note for the trader. */
  warn(line: string): void;
}

/** A collection that merges per field. */
export interface FieldCollection {
  name: string;
  /** Bookkeeping of another collection: not counted in a round's pushed/pulled figures. */
  bookkeeping?: boolean;
  /** Keys this collection leaves alone (synced by another one now): never stamped, deleted or written. */
  ignores?(key: string): boolean;
  /** Every local item as plain field values, by natural key. */
  read(db: Database.Database): Map<string, FieldValues>;
  /** Writes one merged item back (null deletes it). */
  write(db: Database.Database, key: string, values: FieldValues | null, ctx: ApplyContext): void;
  /** Runs after each pull: retries what was kept aside because it did not apply yet. */
  settle?(db: Database.Database, ctx: ApplyContext): void;
}

/** Whether a value is a plain JSON object. */
export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A row of the app database's settings table, parsed (undefined when absent). */
export function readSetting(db: Database.Database, key: string): unknown {
  const row = db.prepare<[string], { value: string }>("SELECT value FROM settings WHERE key = ?").get(key);
  return row ? (JSON.parse(row.value) as unknown) : undefined;
}

/** Writes (or, with undefined, deletes) a row of the settings table. */
export function writeSetting(db: Database.Database, key: string, value: unknown): void {
  if (value === undefined) db.prepare("DELETE FROM settings WHERE key = ?").run(key);
  else db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at").run(key, JSON.stringify(value), Date.now());
}
