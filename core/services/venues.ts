/**
 * Handlers of the venue entries of the `market.*` API: every venue environment with its state
 * (`market.venues`, `market.venues.watch`), live on/off (`market.venues.set`, saved in the
 * settings so it survives a restart) and symbol search over every enabled venue's instruments
 * (`market.instruments.search`; lists cached in SQLite, so search works offline).
 */
import type { InstrumentHit, Instrument } from "../../common/api/market.ts";
import { ApiError } from "../../common/api/index.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import type { FeedManager } from "../feeds/manager.ts";
import type { Logger } from "../log.ts";
import type { UiState } from "./ui-state.ts";
import { saveSwitch, switchId } from "./venue-switch.ts";

type VenueNames = "market.venues" | "market.venues.set" | "market.venues.watch" | "market.instruments.search";

/** How well `symbol` matches the normalized query: 0 exact, 1 prefix, 2 substring, -1 none. */
function rank(symbol: string, q: string): number {
  const s = symbol.replace(/[-/_]/g, "");
  if (q === "") return 3;
  if (s === q) return 0;
  if (s.startsWith(q)) return 1;
  return s.includes(q) ? 2 : -1;
}

/** A feed's instruments: fresh from the venue when it answers, else the cached list, else none. */
async function instrumentsOf(manager: FeedManager, feed: string, log: Logger): Promise<Instrument[]> {
  try {
    return await manager.instruments(feed);
  } catch (err) {
    log.debug({ feed, err: (err as Error).message }, "instrument list unavailable; searching the cached one");
    return manager.cachedInstruments(feed) ?? [];
  }
}

/** Searches every enabled venue's instruments, best match first. */
export async function searchInstruments(manager: FeedManager, query: string, limit: number, log: Logger): Promise<InstrumentHit[]> {
  const q = query.trim().toUpperCase().replace(/[-/_\s]/g, "");
  const feeds = manager.feeds();
  const lists = await Promise.all(feeds.map((f) => instrumentsOf(manager, f.feed, log)));
  const hits: { hit: InstrumentHit; r: number }[] = [];
  feeds.forEach((f, i) => {
    for (const inst of lists[i]!) {
      const r = rank(inst.symbol, q);
      if (r >= 0) hits.push({ r, hit: { feed: f.feed, venue: f.venue, symbol: inst.symbol, status: inst.status, tickSize: inst.tickSize, lotSize: inst.lotSize } });
    }
  });
  hits.sort((a, b) => a.r - b.r || a.hit.symbol.localeCompare(b.hit.symbol) || a.hit.feed.localeCompare(b.hit.feed));
  return hits.slice(0, limit).map((h) => h.hit);
}

/** Builds the venue part of the market handler map. */
export function venueHandlers(manager: FeedManager, state: UiState, log: Logger): PartialHandlers<VenueNames> {
  return {
    "market.venues": () => manager.venues(),
    "market.venues.set": ({ venue, variant, enabled }) => {
      let id: string;
      try {
        id = switchId(venue, variant);
      } catch (err) {
        throw new ApiError("bad_request", (err as Error).message);
      }
      manager.setEnabled(id, enabled);
      try {
        saveSwitch(state, id, enabled);
      } catch (err) {
        log.error({ feed: id, err: (err as Error).message }, "venue switch applied but not saved; it lasts until core restarts");
      }
      return manager.venues();
    },
    "market.venues.watch": (params, sink) => {
      sink.emit(manager.venues());
      const timer = setInterval(() => sink.emit(manager.venues()), params.intervalMs);
      const off = manager.onChange(() => sink.emit(manager.venues()));
      return () => {
        clearInterval(timer);
        off();
      };
    },
    "market.instruments.search": ({ query, limit }) => searchInstruments(manager, query, limit, log),
  };
}
