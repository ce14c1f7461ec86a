/**
 * The local collections that sync field by field: settings (each key of the app database's
 * `settings` table; an object value syncs per top-level property), watchlists (per name, their
 * items), strategy names (so a deleted strategy is deleted everywhere), alert rules
 * (alert-collection.ts) and chart layouts and drawings (chart-collections.ts). Each adapter reads
 * every item as plain field values and writes one back (null deletes).
 * The account's own state (`cloud.*` keys) never syncs; neither does market data.
 */
import { alertRules } from "./alert-collection.ts";
import { chartSettingKey, drawings, layouts } from "./chart-collections.ts";
import { isPlainObject, writeSetting, type FieldCollection, type FieldValues } from "./field-collection.ts";

export type { ApplyContext, FieldCollection, FieldValues } from "./field-collection.ts";

/**
 * Settings keys that do not sync as settings: the account's own state, and the keys a chart
 * collection syncs (an earlier build synced those as settings: their old records are neither
 * deleted nor applied).
 */
const notASetting = (key: string): boolean => key.startsWith("cloud.") || chartSettingKey(key);

const settings: FieldCollection = {
  name: "settings",
  ignores: notASetting,
  read(db) {
    const out = new Map<string, FieldValues>();
    for (const row of db.prepare<[], { key: string; value: string }>("SELECT key, value FROM settings").all()) {
      if (notASetting(row.key)) continue;
      const value = JSON.parse(row.value) as unknown;
      if (isPlainObject(value)) out.set(row.key, Object.fromEntries(Object.entries(value).map(([k, v]) => [`.${k}`, v])));
      else out.set(row.key, { "=": value });
    }
    return out;
  },
  write(db, key, values) {
    if (notASetting(key)) return;
    if (values === null) return writeSetting(db, key, undefined);
    writeSetting(db, key, "=" in values ? values["="] : Object.fromEntries(Object.entries(values).filter(([k, v]) => k.startsWith(".") && v !== null).map(([k, v]) => [k.slice(1), v])));
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
export const FIELD_COLLECTIONS: ReadonlyMap<string, FieldCollection> = new Map([settings, watchlists, strategyNames, alertRules, layouts, drawings].map((c) => [c.name, c]));
