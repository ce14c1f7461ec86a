/**
 * Chart state that syncs per field: named layouts (the `ui.layouts` setting, one record per
 * layout name: its body and save time) and drawings (each `ui.drawings:<venue>:<symbol>` setting,
 * one record per instrument, one field per drawing id, so drawings added on two desktops are both
 * kept). The settings collection leaves these keys to them.
 */
import type { ChartDrawing, SavedLayout } from "../../common/api/ui-chart.ts";
import { isPlainObject, readSetting, writeSetting, type FieldCollection, type FieldValues } from "./field-collection.ts";

const LAYOUTS_KEY = "ui.layouts";
const DRAWINGS_PREFIX = "ui.drawings:";

/** Whether a settings key is synced by a chart collection rather than as a setting. */
export function chartSettingKey(key: string): boolean {
  return key === LAYOUTS_KEY || key.startsWith(DRAWINGS_PREFIX);
}

function savedLayouts(value: unknown): SavedLayout[] {
  return Array.isArray(value) ? (value as unknown[]).filter((l): l is SavedLayout => isPlainObject(l) && typeof l.name === "string") : [];
}

/** Named layouts, one record per name. */
export const layouts: FieldCollection = {
  name: "layout",
  read(db) {
    return new Map(savedLayouts(readSetting(db, LAYOUTS_KEY)).map((l) => [l.name, { layout: l.layout, savedAt: l.savedAt }]));
  },
  write(db, key, values) {
    const others = savedLayouts(readSetting(db, LAYOUTS_KEY)).filter((l) => l.name !== key);
    writeSetting(db, LAYOUTS_KEY, values === null ? others : [...others, { name: key, layout: values.layout, savedAt: values.savedAt }]);
  },
};

/** Drawings, one record per instrument (`<venue>:<symbol>`), one field per drawing. */
export const drawings: FieldCollection = {
  name: "drawing",
  read(db) {
    const out = new Map<string, FieldValues>();
    const rows = db.prepare<[number, string], { key: string; value: string }>("SELECT key, value FROM settings WHERE substr(key, 1, ?) = ?").all(DRAWINGS_PREFIX.length, DRAWINGS_PREFIX);
    for (const row of rows) {
      const list = JSON.parse(row.value) as unknown;
      if (!Array.isArray(list)) continue;
      const fields = list.filter((d): d is ChartDrawing => isPlainObject(d) && typeof d.id === "string").map((d) => [d.id, d] as const);
      out.set(row.key.slice(DRAWINGS_PREFIX.length), Object.fromEntries(fields));
    }
    return out;
  },
  write(db, key, values) {
    const settingKey = DRAWINGS_PREFIX + key;
    if (values === null) return writeSetting(db, settingKey, undefined);
    // Drawings keep their order here; new ones follow.
    const before = readSetting(db, settingKey);
    const order = Array.isArray(before) ? before.map((d) => (isPlainObject(d) ? d.id : undefined)) : [];
    const ids = [...new Set([...order.filter((id): id is string => typeof id === "string" && id in values), ...Object.keys(values)])];
    writeSetting(db, settingKey, ids.map((id) => values[id]).filter((d) => d !== null && d !== undefined));
  },
};
