/**
 * Settings from core (`ui.settings.*`): display time zone, backtest defaults, venues, theme. Kept
 * live with `ui.settings.watch`, so a change in one window shows in every window. Until core
 * answers, the defaults apply.
 */
import { create } from "zustand";
import type { ParamsIn } from "../../../common/api/index.ts";
import { DEFAULT_UI_SETTINGS, type UiSettingsView } from "../../../common/api/ui.ts";
import { api } from "./connection.ts";
import { persistThemeWith, useTheme } from "./theme.ts";

interface SettingsStore {
  settings: UiSettingsView;
  /** True once core sent the settings. */
  loaded: boolean;
  error: string | null;
  update(patch: ParamsIn<"ui.settings.set">): Promise<void>;
}

/** The settings store. */
export const useSettings = create<SettingsStore>((set) => ({
  settings: { ...DEFAULT_UI_SETTINGS, dataDir: "" },
  loaded: false,
  error: null,
  update: async (patch) => {
    try {
      const settings = await api.call("ui.settings.set", patch);
      set({ settings, error: null });
    } catch (err) {
      set({ error: err instanceof Error ? err.message : String(err) });
    }
  },
}));

api.subscribe("ui.settings.watch", {}, {
  onEvent: (settings) => {
    useSettings.setState({ settings, loaded: true });
    if (useTheme.getState().theme !== settings.theme) useTheme.getState().set(settings.theme);
  },
});

persistThemeWith((theme) => void useSettings.getState().update({ theme }));

/** The display time zone (UTC by default). */
export function useTimeZone(): string {
  return useSettings((s) => s.settings.timeZone);
}
