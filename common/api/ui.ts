/**
 * The `ui.*` part of the API map: what the workstation UI owns in core — display and backtest
 * defaults, venue on/off preferences, the watchlist, the editor's strategy library (versioned),
 * and venue API keys kept in the OS keychain
 * (write-only: no entry ever returns a saved key). The `*.watch` streams keep several windows
 * of one core in step.
 */
import { z } from "zod";
import { method, stream } from "./define.ts";

/** A venue's on/off switch (by feed id: `kraken`, `binance-us`, `simulated`) and the symbols it follows (BASE/QUOTE). */
export interface VenueSetting {
  id: string;
  enabled: boolean;
  symbols: string[];
}

/** Settings the UI shows and edits. */
export interface UiSettings {
  theme: "dark" | "light";
  /** IANA time zone used to display times (all times stay UTC inside). */
  timeZone: string;
  /** Defaults of the backtest form (the CLI never reads them). */
  backtest: { cash: number; commission: number; slippageBps: number };
  venues: VenueSetting[];
  /** A short beep in the app when an alert fires (on by default). */
  alertSound: boolean;
}

/** Settings plus facts the UI shows beside them. */
export interface UiSettingsView extends UiSettings {
  dataDir: string;
}

/** What the UI may know about a saved API key. */
export interface SavedKeyInfo {
  venue: string;
  /** The last 4 characters of the API key (never of the secret). */
  keyHint: string;
  savedAt: number;
}

/** Saved keys, or why the keychain cannot be used. */
export interface SecretsView {
  available: boolean;
  /** Why no keychain is usable (null when it is). */
  reason: string | null;
  keys: SavedKeyInfo[];
}

/** One row of the watchlist. */
export interface WatchItem {
  venue: string;
  symbol: string;
}

/** A saved strategy as listed. */
export interface StrategySummary {
  id: number;
  name: string;
  updatedAt: number;
  latestVersion: number;
}

/** One saved version of a strategy's source. */
export interface StrategyVersion {
  version: number;
  createdAt: number;
  note: string | null;
  source: string;
}

/** A strategy with its latest source and its versions (newest first, without sources). */
export interface StrategyDetail extends StrategySummary {
  source: string;
  /** Newest first; `fork` marks versions made concurrently on two synced devices (both kept, the trader picks). */
  versions: Array<Omit<StrategyVersion, "source"> & { fork?: boolean }>;
}

/**
 * The venue switches of a new data directory: the simulated venue on. Real venues have no switch
 * until the trader flips one (core lists them switched off, so a first launch tries no network).
 */
export const DEFAULT_VENUES: VenueSetting[] = [{ id: "simulated", enabled: true, symbols: ["BTC/USD", "ETH/USD", "SOL/USD"] }];

/** Settings of a new data directory. */
export const DEFAULT_UI_SETTINGS: UiSettings = {
  theme: "dark",
  timeZone: "UTC",
  backtest: { cash: 100_000, commission: 0.001, slippageBps: 0 },
  venues: DEFAULT_VENUES,
  alertSound: true,
};

const venueId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "a venue id is 1-32 lowercase letters, digits, - or _");
const symbol = z.string().trim().min(1).max(64);

/** The schema of a settings update (every field optional). */
export const uiSettingsPatch = z.object({
  theme: z.enum(["dark", "light"]).optional(),
  timeZone: z.string().min(1).max(64).optional(),
  backtest: z
    .object({
      cash: z.number().positive().max(1e15),
      commission: z.number().min(0).max(0.1),
      slippageBps: z.number().min(0).max(10_000),
    })
    .partial()
    .optional(),
  venues: z.array(z.object({ id: venueId, enabled: z.boolean(), symbols: z.array(symbol).max(500) })).max(50).optional(),
  alertSound: z.boolean().optional(),
});

/** A settings update as sent (every field optional). */
export type UiSettingsPatch = z.input<typeof uiSettingsPatch>;

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** `settings` with a patch applied: given fields replace, the backtest defaults merge field by field. */
export function applySettingsPatch<T extends UiSettings>(settings: T, patch: UiSettingsPatch): T {
  const { backtest, ...rest } = patch;
  return { ...settings, ...defined(rest), backtest: { ...settings.backtest, ...defined(backtest ?? {}) } };
}

const watchItem = z.object({ venue: venueId, symbol });
const strategyName = z.string().trim().min(1).max(100);
const strategyId = z.number().int().positive();

/** Requests and streams of the UI service. */
export const uiApi = {
  "ui.settings.get": method(z.object({})).returns<UiSettingsView>(),
  "ui.settings.set": method(uiSettingsPatch).returns<UiSettingsView>(),
  "ui.settings.watch": stream(z.object({}), "latest").emits<UiSettingsView>(),
  "ui.secrets.list": method(z.object({})).returns<SecretsView>(),
  "ui.secrets.set": method(
    z.object({ venue: venueId, apiKey: z.string().trim().min(1).max(512), apiSecret: z.string().trim().min(1).max(4096), passphrase: z.string().max(512).optional() }),
  ).returns<SavedKeyInfo>(),
  "ui.secrets.delete": method(z.object({ venue: venueId })).returns<{ deleted: boolean }>(),
  "ui.watchlist.get": method(z.object({})).returns<WatchItem[]>(),
  "ui.watchlist.set": method(z.object({ items: z.array(watchItem).max(500) })).returns<WatchItem[]>(),
  "ui.watchlist.watch": stream(z.object({}), "latest").emits<WatchItem[]>(),
  "ui.strategies.list": method(z.object({})).returns<StrategySummary[]>(),
  "ui.strategies.get": method(z.object({ id: strategyId })).returns<StrategyDetail>(),
  "ui.strategies.version": method(z.object({ id: strategyId, version: z.number().int().positive() })).returns<StrategyVersion>(),
  "ui.strategies.save": method(
    z.object({ id: strategyId.optional(), name: strategyName, source: z.string().max(1_000_000), note: z.string().max(500).optional() }),
  ).returns<StrategyDetail>(),
  "ui.strategies.rename": method(z.object({ id: strategyId, name: strategyName })).returns<StrategyDetail>(),
  "ui.strategies.duplicate": method(z.object({ id: strategyId, name: strategyName })).returns<StrategyDetail>(),
  "ui.strategies.delete": method(z.object({ id: strategyId })).returns<{ deleted: boolean }>(),
};
