/**
 * Symbol search across venues and stored data (recorded, imported, registered Parquet).
 * Type to filter, ↑/↓ to move, Enter opens on the chart, Alt+Enter adds to the watchlist.
 */
import { useEffect, useMemo, useState } from "react";
import { Modal } from "../app/Modal.tsx";
import { api } from "../stores/connection.ts";
import { useChart } from "../stores/chart.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { useSettings } from "../stores/settings.ts";
import { useVenues } from "../stores/venues.ts";
import { useWatchlist } from "../stores/watchlist.ts";
import type { InstrumentHit } from "../../../common/api/market.ts";
import type { VenueSetting } from "../../../common/api/ui.ts";
import { connectedFeeds, NOT_CONNECTED, searchHits, type SearchHit } from "./results.ts";

/** Hook: store symbols matching the query (debounced by the request itself being cheap). */
function useStoredSymbols(query: string): { hits: SearchHit[]; error: string | null } {
  const [state, setState] = useState<{ hits: SearchHit[]; error: string | null }>({ hits: [], error: null });
  useEffect(() => {
    let live = true;
    api
      .call("store.symbols", query.trim() ? { query: query.trim() } : {})
      .then((list) => live && setState({ hits: list.map((s) => ({ venue: s.venue, symbol: s.symbol, source: s.source })), error: null }))
      .catch((err: unknown) => live && setState({ hits: [], error: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, [query]);
  return state;
}

/** Hook: the symbols of the feeds core serves right now (as venue settings, for the merge), or why they are missing. */
function useFeedSymbols(): { feeds: VenueSetting[]; error: string | null } {
  const [state, setState] = useState<{ feeds: VenueSetting[]; error: string | null }>({ feeds: [], error: null });
  useEffect(() => {
    let live = true;
    api.call("market.feeds", {}).then(
      (r) => live && setState({ feeds: r.feeds.map((f) => ({ id: f.feed, enabled: true, symbols: f.symbols })), error: null }),
      (err: unknown) => live && setState({ feeds: [], error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** Hook: instruments of every enabled venue matching the query (core caches the lists, so it works offline). */
function useVenueInstruments(query: string): { hits: InstrumentHit[]; error: string | null } {
  const [state, setState] = useState<{ hits: InstrumentHit[]; error: string | null }>({ hits: [], error: null });
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.call("market.instruments.search", { query: query.trim(), limit: 50 }).then(
        (hits) => live && setState({ hits, error: null }),
        (err: unknown) => live && setState({ hits: [], error: err instanceof Error ? err.message : String(err) }),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);
  return state;
}

/** Hook: {@link connectedFeeds} of core's venues, a new set only when it changes. */
function useConnectedFeeds(): ReadonlySet<string> | null {
  const venues = useVenues((s) => s.venues);
  const connected = connectedFeeds(venues);
  const key = connected ? [...connected].sort().join("\u0000") : null;
  return useMemo(() => connected, [key]);
}

/** The search dialog. */
export function SearchDialog(): React.JSX.Element {
  const [query, setQuery] = useState("");
  const [sel, setSel] = useState(0);
  const venues = useSettings((s) => s.settings.venues);
  const { feeds, error: feedsError } = useFeedSymbols();
  const stored = useStoredSymbols(query);
  const instruments = useVenueInstruments(query);
  const connected = useConnectedFeeds();
  const hits = useMemo(() => searchHits(query, stored.hits, [...feeds, ...venues], instruments.hits, 50, connected), [query, stored.hits, feeds, venues, instruments.hits, connected]);
  const choose = (hit: SearchHit | undefined, watch: boolean): void => {
    if (!hit) return;
    const item = { venue: hit.venue, symbol: hit.symbol };
    if (watch) void useWatchlist.getState().add(item);
    useChart.getState().open(item);
    useDialogs.getState().close();
  };
  const onKeyDown = (e: React.KeyboardEvent): void => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setSel((s) => Math.max(0, Math.min(hits.length - 1, s + (e.key === "ArrowDown" ? 1 : -1))));
    } else if (e.key === "Enter") {
      e.preventDefault();
      choose(hits[sel], e.altKey);
    }
  };
  return (
    <Modal title="Open a symbol" testId="search-dialog">
      <input className="search-input" data-testid="search-input" placeholder="BTC, ETH/USD, AAPL, kraken eth…" value={query} onChange={(e) => { setQuery(e.target.value); setSel(0); }} onKeyDown={onKeyDown} />
      {stored.error ? <p className="error">Stored symbols unavailable: {stored.error}</p> : null}
      {feedsError ? <p className="error">Live symbols unavailable: {feedsError}</p> : null}
      {instruments.error ? <p className="error">Venue instruments unavailable: {instruments.error}</p> : null}
      <ul className="search-results" role="listbox" aria-label="Symbols">
        {hits.length === 0 ? <li className="empty">No symbol matches “{query}”. Import data or enable a venue in Settings.</li> : null}
        {hits.map((h, i) => (
          <li key={`${h.venue}:${h.symbol}`} role="option" aria-selected={i === sel} className={i === sel ? "selected" : ""} data-testid="search-hit" data-symbol={h.symbol} onMouseEnter={() => setSel(i)} onClick={() => choose(h, false)}>
            <span className="watch-symbol">{h.symbol}</span>
            <span className="muted">{h.venue}</span>
            <span className={h.source === NOT_CONNECTED ? "tag tag-off" : "tag"} data-testid="search-source">{h.source}</span>
            {h.status ? <span className={`tag status-${h.status}`} data-testid="search-status">{h.status}</span> : null}
            {h.tickSize ? <span className="muted" title="tick / lot">{h.tickSize} / {h.lotSize}</span> : null}
            <button type="button" className="icon" title="Add to watchlist" data-testid="search-watch" onClick={(e) => { e.stopPropagation(); choose(h, true); }}>☆</button>
          </li>
        ))}
      </ul>
      <p className="hint">↑/↓ select · Enter open · Alt+Enter open and add to the watchlist</p>
    </Modal>
  );
}
