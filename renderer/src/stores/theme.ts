/**
 * Theme (dark by default, light available), applied to <html> at once from localStorage and
 * saved to core's settings when the user switches, so every window follows.
 */
import { useMemo } from "react";
import { create } from "zustand";
import { themeColors, type ThemeColors } from "../lib/theme-colors.ts";

/** The two themes. */
export type Theme = "dark" | "light";

const KEY = "workstation.theme";

function initialTheme(): Theme {
  return localStorage.getItem(KEY) === "light" ? "light" : "dark";
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(KEY, theme);
}

/** Called when the user switches theme (the settings store saves it to core). */
let onUserChange: ((theme: Theme) => void) | null = null;

/** Registers who persists a theme the user picked. */
export function persistThemeWith(fn: (theme: Theme) => void): void {
  onUserChange = fn;
}

/** The theme store. */
export const useTheme = create<{ theme: Theme; toggle(): void; set(theme: Theme): void }>((set, get) => ({
  theme: initialTheme(),
  toggle: () => {
    const theme: Theme = get().theme === "dark" ? "light" : "dark";
    apply(theme);
    set({ theme });
    onUserChange?.(theme);
  },
  set: (theme) => {
    apply(theme);
    set({ theme });
  },
}));

apply(useTheme.getState().theme);

/** The current theme's colors for canvases, read again when the theme changes. */
export function useThemeColors(): ThemeColors {
  const theme = useTheme((s) => s.theme);
  return useMemo(() => themeColors(), [theme]);
}
