/**
 * Per-field last-writer-wins merge of synced records (settings, watchlists, alert rules): each
 * field carries the hybrid-logical-clock time of its last write, and the later time wins, field by
 * field. A delete is the `DELETED` field (a tombstone); it wins over fields written before it.
 */

/** One field's value and the time it was written. */
export interface FieldValue {
  hlc: string;
  value: unknown;
}

/** The fields of a record, by name. */
export type FieldMap = Record<string, FieldValue>;

/** The tombstone field. */
export const DELETED = "$deleted";

/** The merge of two field maps; for each field the later write wins (ties keep `a`). */
export function mergeFields(a: FieldMap, b: FieldMap): FieldMap {
  const out: FieldMap = { ...a };
  for (const [name, field] of Object.entries(b)) {
    const mine = out[name];
    if (!mine || field.hlc > mine.hlc) out[name] = field;
  }
  return out;
}

/** Whether a record is deleted: its tombstone is later than every other field's write. */
export function isDeleted(fields: FieldMap): boolean {
  const tomb = fields[DELETED];
  if (!tomb || tomb.value !== true) return false;
  return Object.entries(fields).every(([name, f]) => name === DELETED || f.hlc < tomb.hlc);
}

/** The plain values of a live record (without the tombstone). */
export function fieldValues(fields: FieldMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(fields)) if (name !== DELETED) out[name] = f.value;
  return out;
}

/** Whether both sides wrote one field to different values since `base` (a true conflict, resolved by time). */
export function conflictingFields(base: FieldMap, a: FieldMap, b: FieldMap): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((n) => {
    const old = base[n]?.hlc;
    const fa = a[n];
    const fb = b[n];
    return fa && fb && fa.hlc !== old && fb.hlc !== old && JSON.stringify(fa.value) !== JSON.stringify(fb.value);
  });
}
