/**
 * Settings from core (`ui.settings.*`): display time zone, backtest defaults, venues, theme. Kept
 * live with `ui.settings.watch`, so a change in one window shows in every window. Until core
 * answers, the defaults apply. An update shows at once (optimistic): a second change made before
 * core answered the first builds on it instead of on core's older copy (two venue switches in a
 * row both stick). While updates are in flight, core's answers and watch events wait for the last
 * one; a refused update restores core's settings (or the answer to a later one does).
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

/** The settings store. */
export const useSettings = create<SettingsStore>((set) => ({
  settings: { ...DEFAULT_UI_SETTINGS, dataDir: "" },
  loaded: false,
  error: null,
  update: async (patch) => {
    inFlight++;
    set((s) => ({ settings: applySettingsPatch(s.settings, patch) }));
    try {
      const settings = await api.call("ui.settings.set", patch);
      set(inFlight === 1 ? { settings, error: null } : { error: null });
    } catch (err) {
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
    if (useTheme.getState().theme !== settings.theme) useTheme.getState().set(settings.theme);
  },
});

persistThemeWith((theme) => void useSettings.getState().update({ theme }));

/** The display time zone (UTC by default). */
export function useTimeZone(): string {
  return useSettings((s) => s.settings.timeZone);
}
