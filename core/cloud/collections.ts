/**
 * The local collections that sync field by field: settings (each key of the app database's
 * `settings` table; an object value syncs per top-level property), watchlists (per name, their
 * items) and strategy names (so a deleted strategy is deleted everywhere). Each adapter reads every item as plain field values and writes one back (null deletes).
 * The account's own state (`cloud.*` keys) never syncs; neither does market data.
 */
import type Database from "better-sqlite3";

/** Plain field values of one item. */
export type FieldValues = Record<string, unknown>;

/** A collection that merges per field. */
export interface FieldCollection {
  name: string;
  /** Bookkeeping of another collection: not counted in a round's pushed/pulled figures. */
  bookkeeping?: boolean;
  read(db: Database.Database): Map<string, FieldValues>;
  write(db: Database.Database, key: string, values: FieldValues | null): void;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const settings: FieldCollection = {
  name: "settings",
  read(db) {
    const out = new Map<string, FieldValues>();
    for (const row of db.prepare<[], { key: string; value: string }>("SELECT key, value FROM settings WHERE key NOT LIKE 'cloud.%'").all()) {
      const value = JSON.parse(row.value) as unknown;
      if (isPlainObject(value)) out.set(row.key, Object.fromEntries(Object.entries(value).map(([k, v]) => [`.${k}`, v])));
      else out.set(row.key, { "=": value });
    }
    return out;
  },
  write(db, key, values) {
    if (values === null) {
      db.prepare("DELETE FROM settings WHERE key = ?").run(key);
      return;
    }
    const value = "=" in values ? values["="] : Object.fromEntries(Object.entries(values).filter(([k, v]) => k.startsWith(".") && v !== null).map(([k, v]) => [k.slice(1), v]));
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at").run(key, JSON.stringify(value), Date.now());
  },
};

const watchlists: FieldCollection = {
  name: "watchlist",
  read(db) {
    const out = new Map<string, FieldValues>();
    const items = db.prepare<[number], { venue: string; symbol: string }>("SELECT venue, symbol FROM watchlist_items WHERE watchlist_id = ? ORDER BY position");
    for (const w of db.prepare<[], { id: number; name: string }>("SELECT id, name FROM watchlists").all()) {
      out.set(w.name, { items: items.all(w.id).map((i) => [i.venue, i.symbol]) });
    }
    return out;
  },
  write(db, key, values) {
    if (values === null) {
      db.prepare("DELETE FROM watchlists WHERE name = ?").run(key);
      return;
    }
    db.prepare("INSERT INTO watchlists (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").run(key, Date.now());
    const { id } = db.prepare<[string], { id: number }>("SELECT id FROM watchlists WHERE name = ?").get(key)!;
    db.prepare("DELETE FROM watchlist_items WHERE watchlist_id = ?").run(id);
    const items = Array.isArray(values.items) ? (values.items as unknown[]) : [];
    const insert = db.prepare("INSERT OR IGNORE INTO watchlist_items (watchlist_id, venue, symbol, position) VALUES (?, ?, ?, ?)");
    items.forEach((item, position) => {
      if (Array.isArray(item) && typeof item[0] === "string" && typeof item[1] === "string") insert.run(id, item[0], item[1], position);
    });
  },
};

/**
 * Which strategies exist, by name: its tombstone carries a delete to the other devices (the
 * versions themselves sync as immutable records, see strategy-sync.ts).
 */
const strategyNames: FieldCollection = {
  name: "strategy-name",
  bookkeeping: true,
  read(db) {
    // A name is gone only when it was deleted here (recorded by a trigger on every path that deletes
    // or renames), never merely because its versions have not been pulled yet.
    const rows = db
      .prepare<[], { name: string }>(
        `SELECT name FROM strategies UNION SELECT natural_key FROM sync_records
         WHERE collection = 'strategy-name' AND natural_key NOT IN (SELECT name FROM sync_strategy_deletes)`,
      )
      .all();
    return new Map(rows.map((r) => [r.name, { exists: true }]));
  },
  write(db, key, values) {
    if (values === null) db.prepare("DELETE FROM strategies WHERE name = ?").run(key);
  },
};

/** Whether records of a collection count in a round's figures. */
export function counted(collection: string): boolean {
  return FIELD_COLLECTIONS.get(collection)?.bookkeeping !== true;
}

/** Every field-merged collection, by name. */
export const FIELD_COLLECTIONS: ReadonlyMap<string, FieldCollection> = new Map([settings, watchlists, strategyNames].map((c) => [c.name, c]));
