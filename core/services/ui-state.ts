/**
 * UI state kept in the SQLite app database: the settings object (one row of the `settings`
 * table) and the default watchlist (`watchlists` / `watchlist_items`). Listeners hear every
 * change so several windows stay in step.
 */
import type Database from "better-sqlite3";
import { DEFAULT_UI_SETTINGS, type UiSettings, type WatchItem } from "../../common/api/ui.ts";

/** The settings key the UI settings live under. */
export const UI_SETTINGS_KEY = "ui.settings";
const WATCHLIST = "default";

/** The part of the app database the UI state needs. */
export interface UiStateDb {
  db: Database.Database;
  getSetting<T>(key: string): T | undefined;
  setSetting(key: string, value: unknown): void;
}

/** A deep-enough merge of saved settings over the defaults (new fields get their default). */
export function mergeSettings(saved: Partial<UiSettings> | undefined, patch: Partial<UiSettings> = {}): UiSettings {
  const base = { ...DEFAULT_UI_SETTINGS, ...(saved ?? {}) };
  return {
    theme: patch.theme ?? base.theme,
    timeZone: patch.timeZone ?? base.timeZone,
    backtest: { ...DEFAULT_UI_SETTINGS.backtest, ...base.backtest, ...(patch.backtest ?? {}) },
    venues: patch.venues ?? base.venues,
    alertSound: patch.alertSound ?? base.alertSound,
  };
}

type Listener<T> = (value: T) => void;

/** Reads and writes the UI state. */
export class UiState {
  private readonly open: () => UiStateDb;
  private readonly settingsListeners = new Set<Listener<UiSettings>>();
  private readonly watchListeners = new Set<Listener<WatchItem[]>>();

  /** `open` returns the app database; it is called on each use, so the database may open lazily. */
  constructor(open: () => UiStateDb) {
    this.open = open;
  }

  private get store(): UiStateDb {
    return this.open();
  }

  /** Current settings (defaults for what was never saved). */
  settings(): UiSettings {
    return mergeSettings(this.store.getSetting<Partial<UiSettings>>(UI_SETTINGS_KEY));
  }

  /** Applies a partial update; returns the new settings. */
  updateSettings(patch: Partial<UiSettings>): UiSettings {
    const next = mergeSettings(this.store.getSetting<Partial<UiSettings>>(UI_SETTINGS_KEY), patch);
    this.store.setSetting(UI_SETTINGS_KEY, next);
    for (const l of this.settingsListeners) l(next);
    return next;
  }

  /** The watchlist in display order. */
  watchlist(): WatchItem[] {
    return this.store.db
      .prepare<[string], WatchItem>(
        "SELECT i.venue AS venue, i.symbol AS symbol FROM watchlist_items i JOIN watchlists w ON w.id = i.watchlist_id WHERE w.name = ? ORDER BY i.position",
      )
      .all(WATCHLIST);
  }

  /** Replaces the watchlist (add, remove and reorder are all one write); duplicates keep the first. */
  setWatchlist(items: WatchItem[]): WatchItem[] {
    const seen = new Set<string>();
    const unique = items.filter((i) => {
      const key = `${i.venue}\u0000${i.symbol}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const db = this.store.db;
    db.transaction(() => {
      db.prepare("INSERT INTO watchlists (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").run(WATCHLIST, Date.now());
      const id = (db.prepare<[string], { id: number }>("SELECT id FROM watchlists WHERE name = ?").get(WATCHLIST))!.id;
      db.prepare("DELETE FROM watchlist_items WHERE watchlist_id = ?").run(id);
      const insert = db.prepare("INSERT INTO watchlist_items (watchlist_id, venue, symbol, position) VALUES (?, ?, ?, ?)");
      unique.forEach((item, position) => insert.run(id, item.venue, item.symbol, position));
    }).immediate();
    const saved = this.watchlist();
    for (const l of this.watchListeners) l(saved);
    return saved;
  }

  /** Hears settings changes; returns the remover. */
  onSettings(listener: Listener<UiSettings>): () => void {
    this.settingsListeners.add(listener);
    return () => this.settingsListeners.delete(listener);
  }

  /** Hears watchlist changes; returns the remover. */
  onWatchlist(listener: Listener<WatchItem[]>): () => void {
    this.watchListeners.add(listener);
    return () => this.watchListeners.delete(listener);
  }
}
