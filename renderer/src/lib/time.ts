/**
 * Time display: every time is UTC ms inside the app; the display time zone (a setting, UTC by
 * default) only changes how times are written. Formatters are cached per zone.
 */

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withSeconds}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      ...(withSeconds ? { second: "2-digit" } : {}),
      hourCycle: "h23",
    });
    cache.set(key, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** "2024-03-01 14:05:09" in the given zone (seconds optional). */
export function formatDateTime(ms: number, timeZone = "UTC", withSeconds = true): string {
  if (!Number.isFinite(ms)) return "—";
  const parts = formatter(timeZone, withSeconds).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? "";
  const time = `${get("hour")}:${get("minute")}${withSeconds ? `:${get("second")}` : ""}`;
  return `${get("year")}-${get("month")}-${get("day")} ${time}`;
}

/** What a time-axis label shows: the year, month, day of month, or the time (with seconds). */
export type TickKind = "year" | "month" | "day" | "time" | "seconds";

/** A time-axis label in the given zone: "2026", "Nov", "24", "14:05" or "14:05:09". */
export function formatTick(ms: number, kind: TickKind, timeZone = "UTC"): string {
  const full = formatDateTime(ms, timeZone, true);
  switch (kind) {
    case "year":
      return full.slice(0, 4);
    case "month":
      return MONTHS[Number(full.slice(5, 7)) - 1] ?? full.slice(5, 7);
    case "day":
      return String(Number(full.slice(8, 10)));
    case "time":
      return full.slice(11, 16);
    case "seconds":
      return full.slice(11);
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "14:05:09" in the given zone. */
export function formatClock(ms: number, timeZone = "UTC"): string {
  return formatDateTime(ms, timeZone, true).slice(11);
}

/**
 * {@link formatClock} for one zone, remembering the last few hundred seconds it formatted: a live
 * tape repaints the same trades' times ten times a second.
 */
export function cachedClock(timeZone = "UTC", keep = 256): (ms: number) => string {
  const seen = new Map<number, string>();
  return (ms) => {
    const second = Math.floor(ms / 1000);
    let text = seen.get(second);
    if (text === undefined) {
      if (seen.size >= keep) seen.clear();
      text = formatClock(ms, timeZone);
      seen.set(second, text);
    }
    return text;
  };
}

/** A compact duration: "3d 4h", "5h 12m", "42s". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86_400), h = Math.floor((s % 86_400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
