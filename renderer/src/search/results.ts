/**
 * Symbol search results: instruments the store has data for (recorded, imported, Parquet), the
 * symbols each enabled venue follows and the instruments core found on every enabled venue
 * (with status and tick/lot), merged, de-duplicated and ranked — exact match first, then prefix,
 * then substring; ties by venue and symbol.
 */
import type { InstrumentHit } from "../../../common/api/market.ts";
import type { VenueSetting } from "../../../common/api/ui.ts";

/** One search hit. */
export interface SearchHit {
  venue: string;
  symbol: string;
  /** Where it comes from: "recorded", "import", "parquet", or "live" for a venue's symbol. */
  source: string;
  /** From the venue's instrument list, when known. */
  status?: "trading" | "halted";
  tickSize?: string;
  lotSize?: string;
}

function rank(symbol: string, q: string): number {
  const s = symbol.toUpperCase().replace(/[-/_]/g, "");
  if (q === "") return 3;
  if (s === q) return 0;
  if (s.startsWith(q)) return 1;
  if (s.includes(q)) return 2;
  return -1;
}

/** Merges store symbols, venue symbols and venue instruments matching the query, best first. */
export function searchHits(query: string, stored: readonly SearchHit[], venues: readonly VenueSetting[], instruments: readonly InstrumentHit[] = [], limit = 50): SearchHit[] {
  const q = query.trim().toUpperCase().replace(/[-/_\s]/g, "");
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
    .map((h) => ({ h, r: rank(h.symbol, q) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.h.venue.localeCompare(b.h.venue) || a.h.symbol.localeCompare(b.h.symbol))
    .slice(0, limit)
    .map((x) => x.h);
}
