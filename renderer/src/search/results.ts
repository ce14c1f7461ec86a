/**
 * Symbol search results: instruments the store has data for (recorded, imported, Parquet), the
 * symbols each enabled venue follows and the instruments core found on every enabled venue
 * (with status and tick/lot), merged, de-duplicated and ranked — exact match first, then prefix,
 * then substring; ties by venue and symbol. A word of the query that starts a venue's name
 * ("kraken eth", "sim") keeps that venue's symbols and the rest of the query ranks them. A venue
 * symbol whose venue core is not connected to is never listed as live: its source says so.
 */
import type { InstrumentHit } from "../../../common/api/market.ts";
import type { VenueSetting } from "../../../common/api/ui.ts";

/** One search hit. */
export interface SearchHit {
  venue: string;
  symbol: string;
  /** Where it comes from: "recorded", "import", "parquet", "live" for a connected venue's symbol, or {@link NOT_CONNECTED}. */
  source: string;
  /** From the venue's instrument list, when known. */
  status?: "trading" | "halted";
  tickSize?: string;
  lotSize?: string;
}

/** The source of a venue symbol whose venue core is not connected to. */
export const NOT_CONNECTED = "not connected — enable in Settings";

const squash = (text: string): string => text.toUpperCase().replace(/[-/_\s]/g, "");

/** The rank of a hit: words naming its venue select it, the other words rank its symbol; -1 when it does not match. */
function rankHit(hit: SearchHit, query: string): number {
  const words = query.trim().split(/\s+/).filter(Boolean);
  const venue = hit.venue.toUpperCase();
  const venueWords = words.filter((w) => w.length >= 2 && venue.startsWith(w.toUpperCase()));
  if (venueWords.length === 0) return rank(hit.symbol, squash(query));
  return rank(hit.symbol, squash(words.filter((w) => !venueWords.includes(w)).join("")));
}

function rank(symbol: string, q: string): number {
  const s = symbol.toUpperCase().replace(/[-/_]/g, "");
  if (q === "") return 3;
  if (s === q) return 0;
  if (s.startsWith(q)) return 1;
  if (s.includes(q)) return 2;
  return -1;
}

/**
 * Merges store symbols, venue symbols and venue instruments matching the query, best first.
 * `connected`: the feeds core is connected to (null when unknown): another venue's symbols are
 * listed as {@link NOT_CONNECTED}, never as live.
 */
export function searchHits(query: string, stored: readonly SearchHit[], venues: readonly VenueSetting[], instruments: readonly InstrumentHit[] = [], limit = 50, connected: ReadonlySet<string> | null = null): SearchHit[] {
  const byKey = new Map<string, SearchHit>();
  for (const h of stored) byKey.set(`${h.venue}:${h.symbol}`, h);
  for (const v of venues) {
    if (!v.enabled) continue;
    for (const symbol of v.symbols) {
      const key = `${v.id}:${symbol}`;
      if (!byKey.has(key)) byKey.set(key, { venue: v.id, symbol, source: "live" });
    }
  }
  for (const i of instruments) {
    const key = `${i.feed}:${i.symbol}`;
    byKey.set(key, { ...(byKey.get(key) ?? { venue: i.feed, symbol: i.symbol, source: "live" }), status: i.status, tickSize: i.tickSize, lotSize: i.lotSize });
  }
  return [...byKey.values()]
    .map((h) => (h.source === "live" && connected && !connected.has(h.venue) ? { ...h, source: NOT_CONNECTED } : h))
    .map((h) => ({ h, r: rankHit(h, query) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.h.venue.localeCompare(b.h.venue) || a.h.symbol.localeCompare(b.h.symbol))
    .slice(0, limit)
    .map((x) => x.h);
}

/**
 * The feeds core is connected to right now (a venue's state "connected": switched on but
 * unreachable, connecting or reconnecting is not), or null while no venue is known yet (nothing
 * is marked not connected then). Core serves a feed for every venue switched on, reachable or
 * not, so the feeds list alone would list an unreachable venue as live.
 */
export function connectedFeeds(venues: readonly { feed: string; state: string }[]): Set<string> | null {
  return venues.length > 0 ? new Set(venues.filter((v) => v.state === "connected").map((v) => v.feed)) : null;
}
