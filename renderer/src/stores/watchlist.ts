/**
 * The watchlist: its symbols come from core (`ui.watchlist.*`, SQLite) and stay in step across
 * windows; add, remove and reorder write the whole list back. Live quotes are kept apart in
 * `quotes.ts` so a busy feed does not re-render the list structure.
 */
import { create } from "zustand";
import type { WatchItem } from "../../../common/api/ui.ts";
import { moved } from "../lib/list.ts";
import { api } from "./connection.ts";

interface WatchlistStore {
  items: WatchItem[];
  loaded: boolean;
  error: string | null;
  add(item: WatchItem): Promise<void>;
  remove(item: WatchItem): Promise<void>;
  /** Moves the item at `from` to index `to`. */
  move(from: number, to: number): Promise<void>;
}

/** True when two items name the same instrument. */
export function sameItem(a: WatchItem, b: WatchItem): boolean {
  return a.venue === b.venue && a.symbol === b.symbol;
}

async function save(items: WatchItem[]): Promise<void> {
  const prev = useWatchlist.getState().items;
  useWatchlist.setState({ items });
  try {
    useWatchlist.setState({ items: await api.call("ui.watchlist.set", { items }), error: null });
  } catch (err) {
    useWatchlist.setState({ items: prev, error: err instanceof Error ? err.message : String(err) });
  }
}

/** The watchlist store. */
export const useWatchlist = create<WatchlistStore>((_set, get) => ({
  items: [],
  loaded: false,
  error: null,
  add: (item) => (get().items.some((i) => sameItem(i, item)) ? Promise.resolve() : save([...get().items, item])),
  remove: (item) => save(get().items.filter((i) => !sameItem(i, item))),
  move: (from, to) => save(moved(get().items, from, to)),
}));

api.subscribe("ui.watchlist.watch", {}, { onEvent: (items) => useWatchlist.setState({ items, loaded: true }) });
