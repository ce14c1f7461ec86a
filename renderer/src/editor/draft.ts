/**
 * Rules of the strategy library the editor checks before calling core: whether the draft holds
 * unsaved work (so switching strategy asks first), and whether a name can be used (the same
 * bounds as core: trimmed, 1-100 characters, not taken by another strategy).
 */
import type { StrategySummary } from "../../../common/api/ui.ts";

/** The longest name core accepts (common/api/ui.ts). */
export const MAX_NAME_LENGTH = 100;

/**
 * True when the draft would be lost by replacing it: it differs from the open strategy's saved
 * source, or, for an unsaved draft, from every untouched template.
 */
export function draftChanged(draft: string, saved: { source: string } | null, templates: ReadonlyArray<{ source: string }>): boolean {
  if (saved) return draft !== saved.source;
  return !templates.some((t) => t.source === draft);
}

/** Why `name` cannot name a strategy (null when it can); `self` is the id allowed to keep its own name. */
export function nameProblem(name: string, list: readonly StrategySummary[], self: number | null): string | null {
  const n = name.trim();
  if (n === "") return "Enter a name";
  if (n.length > MAX_NAME_LENGTH) return `A name has at most ${MAX_NAME_LENGTH} characters (this one has ${n.length})`;
  const other = list.find((s) => s.name === n && s.id !== self);
  return other ? `A strategy named "${n}" already exists` : null;
}

/** A free name for a copy: "<name> copy", then "<name> copy 2", … */
export function copyName(name: string, list: readonly StrategySummary[]): string {
  const base = `${name} copy`.slice(0, MAX_NAME_LENGTH);
  const taken = new Set(list.map((s) => s.name));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base.slice(0, MAX_NAME_LENGTH - String(i).length - 1)} ${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
