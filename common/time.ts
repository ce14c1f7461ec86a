/**
 * Reading dates as traders type them. Inside the system every time is UTC ms; text without a zone
 * is therefore read as UTC (never as the machine's local time, which `Date.parse` would use for a
 * date-time without an offset).
 */

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** UTC ms of `2024-01-31`, `2024-01-31T12:00`, `2024-01-31 12:00:00.5` or with `Z`/`+02:00`; null when not such a date. */
export function parseUtcTime(text: string): number | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, date, time, zone] = m;
  if (!time && zone) return null;
  const ms = Date.parse(`${date}T${time ?? "00:00:00"}${zone ?? "Z"}`);
  return Number.isNaN(ms) ? null : ms;
}
