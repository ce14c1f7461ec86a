/** Small list helpers for reorderable lists. */

/** The list with the item at `from` moved to `to` (indices clamped). */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const out = list.slice();
  if (from < 0 || from >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, to)), 0, item!);
  return out;
}
