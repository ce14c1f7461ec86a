/**
 * Venue instrument lists cached in the SQLite app database (one row per feed: when fetched and the
 * list as JSON), so symbol search works offline and a restart does not wait for every venue. The
 * table is created on first use; a list that cannot be read is treated as missing.
 */
import type Database from "better-sqlite3";
import type { Instrument } from "../../common/api/market.ts";
import type { Logger } from "../log.ts";
import type { InstrumentCache } from "../feeds/manager.ts";

const TABLE = "CREATE TABLE IF NOT EXISTS venue_instruments (feed TEXT PRIMARY KEY, fetched_at INTEGER NOT NULL, list TEXT NOT NULL)";

/** An instrument cache over the app database `open()` returns (opened lazily, on first use). */
export function sqliteInstrumentCache(open: () => Database.Database, log: Logger): InstrumentCache {
  let ready: Database.Database | null = null;
  const db = (): Database.Database => {
    if (!ready) {
      ready = open();
      ready.exec(TABLE);
    }
    return ready;
  };
  return {
    load: (feed) => {
      try {
        const row = db().prepare<[string], { fetched_at: number; list: string }>("SELECT fetched_at, list FROM venue_instruments WHERE feed = ?").get(feed);
        return row ? { at: row.fetched_at, list: JSON.parse(row.list) as Instrument[] } : null;
      } catch (err) {
        log.warn({ feed, err: (err as Error).message }, "cached instruments unreadable; they will be fetched again");
        return null;
      }
    },
    save: (feed, at, list) => {
      try {
        db().prepare("INSERT INTO venue_instruments (feed, fetched_at, list) VALUES (?, ?, ?) ON CONFLICT (feed) DO UPDATE SET fetched_at = excluded.fetched_at, list = excluded.list").run(feed, at, JSON.stringify(list));
      } catch (err) {
        log.warn({ feed, err: (err as Error).message }, "instruments not cached");
      }
    },
  };
}
