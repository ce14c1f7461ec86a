/**
 * Named universes in the SQLite app database (`universes`, `universe_members`), and how `universe
 * add` builds one: from the store (every symbol with data, optionally one venue), from a venue's
 * instrument list (filtered by quote asset), from the watchlist, or from a LIST by hand; store and
 * venue universes can keep only symbols with at least `minVolume` of quote volume over the store's
 * last 24 h. A screen's `--universe` is a NAME or a LIST.
 */
import type Database from "better-sqlite3";
import type { Instrument } from "../../common/api/market.ts";
import type { UniverseAddRequest, UniverseDetail, UniverseSummary } from "../../common/api/screener.ts";
import { isMemberList, parseMemberList, type UniverseMember } from "../../common/screener/rank.ts";
import { sqlString } from "../datafiles/duck.ts";
import type { MarketDb } from "../store/market-db.ts";
import { listInstruments } from "../store/sources.ts";

/** A universe that does not exist. */
export class UnknownUniverseError extends Error {}

/** Every saved universe. */
export function listUniverses(db: Database.Database): UniverseSummary[] {
  return db
    .prepare<[], { name: string; source: string; members: number; updatedAt: number }>(
      "SELECT u.name, u.source, count(m.symbol) AS members, u.updated_at AS updatedAt FROM universes u LEFT JOIN universe_members m ON m.universe_id = u.id GROUP BY u.id ORDER BY u.name",
    )
    .all();
}

/** One universe with its members; throws {@link UnknownUniverseError}. */
export function showUniverse(db: Database.Database, name: string): UniverseDetail {
  const row = db.prepare<[string], { id: number; name: string; source: string; updatedAt: number }>("SELECT id, name, source, updated_at AS updatedAt FROM universes WHERE name = ?").get(name);
  if (!row) throw new UnknownUniverseError(`no universe named "${name}" (see workstation universe list)`);
  const list = db.prepare<[number], UniverseMember>("SELECT venue, symbol FROM universe_members WHERE universe_id = ? ORDER BY position").all(row.id);
  return { name: row.name, source: row.source, members: list.length, updatedAt: row.updatedAt, list };
}

/** Saves a universe; refuses an existing name unless `replace`. */
export function saveUniverse(db: Database.Database, name: string, source: string, members: readonly UniverseMember[], replace: boolean): UniverseDetail {
  if (members.length === 0) throw new Error(`universe "${name}" would be empty; nothing saved`);
  const now = Date.now();
  db.transaction(() => {
    const existing = db.prepare<[string], { id: number }>("SELECT id FROM universes WHERE name = ?").get(name);
    if (existing && !replace) throw new Error(`a universe named "${name}" exists; pass --replace to overwrite it`);
    if (existing) db.prepare("DELETE FROM universes WHERE id = ?").run(existing.id);
    const id = Number(db.prepare("INSERT INTO universes (name, source, created_at, updated_at) VALUES (?, ?, ?, ?)").run(name, source, now, now).lastInsertRowid);
    const insert = db.prepare("INSERT OR IGNORE INTO universe_members (universe_id, venue, symbol, position) VALUES (?, ?, ?, ?)");
    members.forEach((m, i) => insert.run(id, m.venue, m.symbol, i));
  }).immediate();
  return showUniverse(db, name);
}

/** Removes a universe; false when there was none. */
export function removeUniverse(db: Database.Database, name: string): boolean {
  return db.prepare("DELETE FROM universes WHERE name = ?").run(name).changes > 0;
}

/** The members of a `--universe` argument: a LIST, or a saved universe's NAME. */
export function resolveUniverse(db: () => Database.Database, arg: string): UniverseMember[] {
  if (isMemberList(arg)) return parseMemberList(arg);
  return showUniverse(db(), arg.trim()).list;
}

/** What building a universe may read. */
export interface UniverseInputs {
  app: Database.Database;
  market: () => Promise<MarketDb>;
  /** A venue's instrument list (live from core's feed, or the cached one). */
  instruments(venue: string): Promise<Instrument[]>;
}

/** The watchlist's members. */
function watchlistMembers(db: Database.Database): UniverseMember[] {
  return db.prepare<[], UniverseMember>("SELECT i.venue AS venue, i.symbol AS symbol FROM watchlist_items i JOIN watchlists w ON w.id = i.watchlist_id ORDER BY w.id, i.position").all();
}

/** The venue instrument list cached in the app database (what core fetched last). */
export function cachedInstruments(db: Database.Database, venue: string): Instrument[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'venue_instruments'").get();
  const row = exists ? db.prepare<[string], { list: string }>("SELECT list FROM venue_instruments WHERE feed = ?").get(venue) : undefined;
  if (!row) throw new Error(`no instrument list for ${venue} here yet (start the workstation with ${venue} enabled once, or run with a core running)`);
  return JSON.parse(row.list) as Instrument[];
}

/** Keeps members with at least `min` quote volume (volume × close) over their last 24 h of stored bars. */
async function byVolume(db: MarketDb, members: UniverseMember[], min: number): Promise<UniverseMember[]> {
  if (members.length === 0) return members;
  const values = members.map((m) => `(${sqlString(m.venue)}, ${sqlString(m.symbol)})`).join(", ");
  const sql = `WITH u(venue, symbol) AS (VALUES ${values}),
    last AS (SELECT b.venue, b.symbol, max(b.ts) AS t FROM bars b JOIN u USING (venue, symbol) GROUP BY ALL)
    SELECT b.venue, b.symbol FROM bars b JOIN last l ON b.venue = l.venue AND b.symbol = l.symbol AND b.ts > l.t - 86400000
    GROUP BY ALL HAVING sum(b.volume * b.close) >= ${min}`;
  const keep = new Set((await db.conn.runAndReadAll(sql)).getRows().map((r) => `${String(r[0])}\u0000${String(r[1])}`));
  return members.filter((m) => keep.has(`${m.venue}\u0000${m.symbol}`));
}

async function membersFor(req: UniverseAddRequest, inputs: UniverseInputs): Promise<{ members: UniverseMember[]; source: string }> {
  switch (req.from) {
    case "list":
      if (!req.list) throw new Error("--list VENUE:SYMBOL,... is required with --from list");
      return { members: parseMemberList(req.list), source: "list" };
    case "watchlist":
      return { members: watchlistMembers(inputs.app), source: "watchlist" };
    case "store": {
      const all = await listInstruments(await inputs.market());
      const members = all.filter((i) => !req.venue || i.venue === req.venue).map(({ venue, symbol }) => ({ venue, symbol }));
      const unique = [...new Map(members.map((m) => [`${m.venue}\u0000${m.symbol}`, m])).values()];
      return { members: unique, source: req.venue ? `store ${req.venue}` : "store" };
    }
    case "venue": {
      if (!req.venue) throw new Error("--venue is required with --from venue");
      const quote = req.quote?.toUpperCase();
      const list = (await inputs.instruments(req.venue)).filter((i) => i.status === "trading" && (!quote || i.quote.toUpperCase() === quote));
      return { members: list.map((i) => ({ venue: req.venue!, symbol: i.symbol })), source: `venue ${req.venue}${quote ? ` quote ${quote}` : ""}` };
    }
  }
}

/** Builds and saves a universe. */
export async function addUniverse(req: UniverseAddRequest, inputs: UniverseInputs): Promise<UniverseDetail> {
  let { members, source } = await membersFor(req, inputs);
  if (req.minVolume !== undefined && req.from !== "list") {
    members = await byVolume(await inputs.market(), members, req.minVolume);
    source += ` min 24h volume ${req.minVolume}`;
  }
  return saveUniverse(inputs.app, req.name, source, members, req.replace);
}
