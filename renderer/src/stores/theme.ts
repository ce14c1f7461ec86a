/** Theme (dark by default, light available), remembered in localStorage and applied to <html>. */
import { create } from "zustand";

/** The two themes. */
export type Theme = "dark" | "light";

const KEY = "workstation.theme";

function initialTheme(): Theme {
  return localStorage.getItem(KEY) === "light" ? "light" : "dark";
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/** The theme store. */
export const useTheme = create<{ theme: Theme; toggle(): void }>((set, get) => ({
  theme: initialTheme(),
  toggle: () => {
    const theme: Theme = get().theme === "dark" ? "light" : "dark";
    localStorage.setItem(KEY, theme);
    apply(theme);
    set({ theme });
  },
}));

apply(useTheme.getState().theme);
