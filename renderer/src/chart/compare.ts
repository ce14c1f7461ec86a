/**
 * The compare overlay's data: a second symbol's closes on the chart's own bar times only (a bar
 * of the other symbol at a time the chart lacks would add a point to the shared time scale and
 * shift every logical index), blank where the other symbol has no bar. Pure.
 */

/** A compare point: a chart bar time (UTC s) and the other symbol's close there, if any. */
export interface ComparePoint {
  time: number;
  value?: number;
}

/** The other symbol's closes (times in UTC ms, ascending) at each of `times` (UTC s, ascending). */
export function alignCloses(times: ArrayLike<number>, otherTime: ArrayLike<number>, otherClose: ArrayLike<number>): ComparePoint[] {
  const out: ComparePoint[] = new Array(times.length);
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]! * 1000;
    while (j < otherTime.length && otherTime[j]! < t) j++;
    out[i] = j < otherTime.length && otherTime[j] === t ? { time: times[i]!, value: otherClose[j]! } : { time: times[i]! };
  }
  return out;
}

/** A compare entry typed by the user: "SYMBOL" (the chart's venue) or "venue:SYMBOL" (a BASE/QUOTE pair in capitals); null when empty. */
export function parseCompare(text: string, venue: string): { venue: string; symbol: string } | null {
  const t = text.trim();
  if (t === "") return null;
  const colon = t.indexOf(":");
  const symbol = (s: string): string => (s.includes("/") ? s.toUpperCase() : s);
  if (colon > 0) return { venue: t.slice(0, colon).trim().toLowerCase(), symbol: symbol(t.slice(colon + 1).trim()) };
  return { venue, symbol: symbol(t) };
}
