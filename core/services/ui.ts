/** Handlers of the `ui.*` API entries: settings, watchlist, strategy library and write-only API keys. */
import { ApiError } from "../../common/api/errors.ts";
import { applySettingsPatch, type UiSettings, type UiSettingsView } from "../../common/api/ui.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import { KeychainUnavailableError, type SecretStore } from "../secrets/keychain.ts";
import type { UiState } from "./ui-state.ts";
import { StrategyLibraryError, type StrategyLibrary } from "./ui-strategies.ts";

/** What the UI handlers use. */
export interface UiDeps {
  dataDir: string;
  state: UiState;
  secrets: SecretStore;
  strategies: StrategyLibrary;
}

type UiMethods =
  | "ui.settings.get"
  | "ui.settings.set"
  | "ui.settings.watch"
  | "ui.secrets.list"
  | "ui.secrets.set"
  | "ui.secrets.delete"
  | "ui.watchlist.get"
  | "ui.watchlist.set"
  | "ui.watchlist.watch"
  | "ui.strategies.list"
  | "ui.strategies.get"
  | "ui.strategies.version"
  | "ui.strategies.save"
  | "ui.strategies.rename"
  | "ui.strategies.duplicate"
  | "ui.strategies.delete";

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

async function keychain<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof KeychainUnavailableError) throw new ApiError("unavailable", err.message);
    if (err instanceof RangeError) throw new ApiError("bad_request", err.message);
    throw err;
  }
}

function library<T>(op: () => T): T {
  try {
    return op();
  } catch (err) {
    if (err instanceof StrategyLibraryError) throw new ApiError(err.code, err.message);
    throw err;
  }
}

/** Builds the UI part of the handler map. */
export function uiHandlers(deps: UiDeps): PartialHandlers<UiMethods> {
  const view = (s: UiSettings): UiSettingsView => ({ ...s, dataDir: deps.dataDir });
  return {
    "ui.settings.get": () => view(deps.state.settings()),
    "ui.settings.set": (patch) => {
      if (patch.timeZone !== undefined && !validTimeZone(patch.timeZone)) {
        throw new ApiError("bad_request", `unknown time zone "${patch.timeZone}" (use an IANA name such as UTC or Europe/Berlin)`);
      }
      return view(deps.state.updateSettings(applySettingsPatch(deps.state.settings(), patch)));
    },
    "ui.settings.watch": (_params, sink) => {
      sink.emit(view(deps.state.settings()));
      return deps.state.onSettings((s) => sink.emit(view(s)));
    },
    "ui.secrets.list": async () => {
      const reason = await deps.secrets.probe();
      if (reason !== null) return { available: false, reason, keys: [] };
      return { available: true, reason: null, keys: await keychain(() => deps.secrets.list()) };
    },
    "ui.secrets.set": ({ venue, apiKey, apiSecret, passphrase }) =>
      keychain(() => deps.secrets.save(venue, passphrase ? { apiKey, apiSecret, passphrase } : { apiKey, apiSecret })),
    "ui.secrets.delete": async ({ venue }) => ({ deleted: await keychain(() => deps.secrets.delete(venue)) }),
    "ui.watchlist.get": () => deps.state.watchlist(),
    "ui.watchlist.set": ({ items }) => deps.state.setWatchlist(items),
    "ui.watchlist.watch": (_params, sink) => {
      sink.emit(deps.state.watchlist());
      return deps.state.onWatchlist((items) => sink.emit(items));
    },
    "ui.strategies.list": () => deps.strategies.list(),
    "ui.strategies.get": ({ id }) => library(() => deps.strategies.get(id)),
    "ui.strategies.version": ({ id, version }) => library(() => deps.strategies.version(id, version)),
    "ui.strategies.save": ({ id, name, source, note }) => library(() => deps.strategies.save(name, source, note ?? null, id)),
    "ui.strategies.rename": ({ id, name }) => library(() => deps.strategies.rename(id, name)),
    "ui.strategies.duplicate": ({ id, name }) => library(() => deps.strategies.duplicate(id, name)),
    "ui.strategies.delete": ({ id }) => ({ deleted: deps.strategies.delete(id) }),
  };
}
