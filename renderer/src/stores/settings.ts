/**
 * Settings from core (`ui.settings.*`): display time zone, backtest defaults, venues, theme. Kept
 * live with `ui.settings.watch`, so a change in one window shows in every window. Until core
 * answers, the defaults apply. An update shows at once (optimistic): a second change made before
 * core answered the first builds on it instead of on core's older copy (two venue switches in a
 * row both stick). While updates are in flight, core's answers and watch events wait for the last
 * one; a refused update restores core's settings (or the answer to a later one does), and its
 * reason stays shown until an update made after it succeeds.
 */
import { create } from "zustand";
import type { ParamsIn } from "../../../common/api/index.ts";
import { applySettingsPatch, DEFAULT_UI_SETTINGS, type UiSettingsView } from "../../../common/api/ui.ts";
import { api } from "./connection.ts";
import { persistThemeWith, useTheme } from "./theme.ts";

interface SettingsStore {
  settings: UiSettingsView;
  /** True once core sent the settings. */
  loaded: boolean;
  error: string | null;
  update(patch: ParamsIn<"ui.settings.set">): Promise<void>;
}

/** Updates sent to core and not yet answered. */
let inFlight = 0;
/** Updates core refused so far (a success clears the error only if none was refused meanwhile). */
let refusals = 0;

/** The settings store. */
export const useSettings = create<SettingsStore>((set) => ({
  settings: { ...DEFAULT_UI_SETTINGS, dataDir: "" },
  loaded: false,
  error: null,
  update: async (patch) => {
    inFlight++;
    const refusalsBefore = refusals;
    set((s) => ({ settings: applySettingsPatch(s.settings, patch) }));
    try {
      const settings = await api.call("ui.settings.set", patch);
      if (inFlight === 1) set(refusals === refusalsBefore ? { settings, error: null } : { settings });
    } catch (err) {
      refusals++;
      set({ error: err instanceof Error ? err.message : String(err) });
      const settings = inFlight === 1 ? await api.call("ui.settings.get", {}).catch(() => null) : null;
      if (settings) set({ settings });
    } finally {
      inFlight--;
    }
  },
}));

api.subscribe("ui.settings.watch", {}, {
  onEvent: (settings) => {
    useSettings.setState(inFlight === 0 ? { settings, loaded: true } : { loaded: true });
  },
});

// The page's theme follows the settings shown, whichever path changed them (core's answer, a
// watch event, a refused update restored from core).
useSettings.subscribe((s, prev) => {
  const theme = s.settings.theme;
  if (theme !== prev.settings.theme && useTheme.getState().theme !== theme) useTheme.getState().set(theme);
});

persistThemeWith((theme) => void useSettings.getState().update({ theme }));

/** The display time zone (UTC by default). */
export function useTimeZone(): string {
  return useSettings((s) => s.settings.timeZone);
}
