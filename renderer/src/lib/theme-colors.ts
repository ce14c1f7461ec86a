/** Reads the theme's CSS variables, for canvases (charts, sparklines) that cannot use CSS. */

/** The colors canvases draw with. */
export interface ThemeColors {
  bg: string;
  panel: string;
  text: string;
  muted: string;
  grid: string;
  up: string;
  down: string;
  accent: string;
  warn: string;
}

/** The current theme's colors. */
export function themeColors(): ThemeColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    bg: v("--panel", "#161b22"),
    panel: v("--panel", "#161b22"),
    text: v("--text", "#d1d4dc"),
    muted: v("--muted", "#8b949e"),
    grid: v("--border", "#2a313c"),
    up: v("--up", "#26a69a"),
    down: v("--down", "#ef5350"),
    accent: v("--accent", "#2962ff"),
    warn: v("--warn", "#f0b429"),
  };
}
