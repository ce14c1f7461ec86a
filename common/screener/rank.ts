/**
 * A screen's result table and its ranking: rows of (venue, symbol, column values), filtered by a
 * {@link FilterExpr}, sorted by one key (NaN/null and error rows last, ties by venue:symbol), and
 * compared with the previous ranking (rank changes, entries, exits) for highlighting and alerts.
 * Also the universe LIST syntax (`binance:BTC/USDT,local:ORCL`).
 */
import { matchesFilter, type FilterExpr } from "./filter.ts";

/** One (venue, symbol) of a universe. */
export interface UniverseMember {
  venue: string;
  symbol: string;
}

/** A column's value in a result row: a number, text (SQL screens), or null (NaN, too few bars). */
export type ScreenValue = number | string | boolean | null;

/** One row of a screen's result, in rank order. */
export interface ScreenRow {
  venue: string;
  symbol: string;
  /** Column id → value. */
  [column: string]: ScreenValue | string[] | Record<string, number | null> | undefined;
}

/** A sort key and direction. */
export interface SortSpec {
  key: string;
  dir: "asc" | "desc";
}

/** Parses `KEY[:asc|desc]` (desc by default). */
export function parseSort(raw: string): SortSpec {
  const [key, dir, extra] = raw.split(":").map((s) => s.trim());
  if (!key || extra !== undefined || (dir !== undefined && dir !== "asc" && dir !== "desc")) throw new Error(`--sort must be KEY[:asc|desc], got "${raw}"`);
  return { key, dir: (dir ?? "desc") as SortSpec["dir"] };
}

/** Parses a universe LIST: comma-separated `VENUE:SYMBOL` (the symbol may itself hold ':'). */
export function parseMemberList(list: string): UniverseMember[] {
  const members: UniverseMember[] = [];
  const seen = new Set<string>();
  for (const part of list.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const at = part.indexOf(":");
    const venue = part.slice(0, at).trim().toLowerCase();
    const symbol = part.slice(at + 1).trim();
    if (at <= 0 || symbol === "" || !/^[a-z0-9_-]{1,32}$/.test(venue) || symbol.length > 64) throw new Error(`"${part}" is not VENUE:SYMBOL (e.g. binance:BTC/USDT)`);
    const key = `${venue}:${symbol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    members.push({ venue, symbol });
  }
  if (members.length === 0) throw new Error("the universe list is empty (give VENUE:SYMBOL,...)");
  return members;
}

/** True when a string looks like a universe LIST rather than a NAME. */
export function isMemberList(text: string): boolean {
  return text.includes(":");
}

function sortValue(row: ScreenRow, key: string): number | string | null {
  if (row.error !== undefined) return null;
  const v = row[key];
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

/** Filters and sorts rows; rows without the key (null, NaN) come last; error rows are kept, last. */
export function rankRows(rows: ScreenRow[], sort: SortSpec | null, filter: FilterExpr | null): ScreenRow[] {
  const kept = filter ? rows.filter((r) => r.error !== undefined || matchesFilter(filter, r)) : [...rows];
  const name = (r: ScreenRow) => `${r.venue}:${r.symbol}`;
  if (!sort) return kept.sort((a, b) => name(a).localeCompare(name(b)));
  const sign = sort.dir === "asc" ? 1 : -1;
  return kept.sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    if (x === null || y === null) return x === y ? name(a).localeCompare(name(b)) : x === null ? 1 : -1;
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return c !== 0 ? sign * c : name(a).localeCompare(name(b));
  });
}

/** How a symbol's rank moved between two rankings (1-based ranks; null = absent). */
export interface RankChange {
  venue: string;
  symbol: string;
  rank: number | null;
  previous: number | null;
}

/** Rank changes from `before` to `after` (entries, exits and moves; unchanged ranks left out). */
export function rankChanges(before: readonly ScreenRow[], after: readonly ScreenRow[]): RankChange[] {
  const key = (r: UniverseMember) => `${r.venue}\u0000${r.symbol}`;
  const old = new Map(before.map((r, i) => [key(r), i + 1]));
  const changes: RankChange[] = [];
  after.forEach((r, i) => {
    const previous = old.get(key(r)) ?? null;
    old.delete(key(r));
    if (previous !== i + 1) changes.push({ venue: r.venue, symbol: r.symbol, rank: i + 1, previous });
  });
  for (const [k, previous] of old) {
    const [venue, symbol] = k.split("\u0000") as [string, string];
    changes.push({ venue, symbol, rank: null, previous });
  }
  return changes;
}

/** Symbols that entered the top `n` from `before` to `after` (the "screen as alert" condition). */
export function enteredTop(before: readonly ScreenRow[], after: readonly ScreenRow[], n: number): UniverseMember[] {
  return rankChanges(before, after)
    .filter((c) => c.rank !== null && c.rank <= n && (c.previous === null || c.previous > n))
    .map(({ venue, symbol }) => ({ venue, symbol }));
}
