/**
 * Panel sizes of the main layout (watchlist width, order book width, bottom row height, the
 * editor's share of the bottom row), changed by dragging the splitters and remembered in
 * localStorage. The chart takes whatever is left, so it stays the dominant panel.
 */
import { create } from "zustand";

/** Sizes in CSS pixels, except `editorShare` (0..1 of the bottom row's width). */
export interface LayoutSizes {
  watchlist: number;
  book: number;
  bottom: number;
  editorShare: number;
}

/** A splitter names the size it changes. */
export type SizeKey = keyof LayoutSizes;

const KEY = "workstation.layout";

/** Defaults and limits of each size. */
export const LIMITS: Record<SizeKey, { min: number; max: number; initial: number }> = {
  watchlist: { min: 160, max: 480, initial: 240 },
  book: { min: 220, max: 520, initial: 300 },
  bottom: { min: 120, max: 900, initial: 290 },
  editorShare: { min: 0.2, max: 0.8, initial: 0.5 },
};

/** Keeps a size within its limits. */
export function clampSize(key: SizeKey, value: number): number {
  const { min, max } = LIMITS[key];
  return Math.min(max, Math.max(min, value));
}

function initialSizes(): LayoutSizes {
  const sizes: LayoutSizes = { watchlist: 0, book: 0, bottom: 0, editorShare: 0 };
  let saved: Partial<Record<SizeKey, unknown>>;
  try {
    saved = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<Record<SizeKey, unknown>>;
  } catch {
    saved = {};
  }
  for (const key of Object.keys(LIMITS) as SizeKey[]) {
    const v = saved[key];
    sizes[key] = typeof v === "number" && Number.isFinite(v) ? clampSize(key, v) : LIMITS[key].initial;
  }
  return sizes;
}

/** The layout store. */
export const useLayout = create<LayoutSizes & { resize(key: SizeKey, value: number): void; reset(): void }>((set, get) => ({
  ...initialSizes(),
  resize: (key, value) => {
    set({ [key]: clampSize(key, value) } as Pick<LayoutSizes, SizeKey>);
    const { watchlist, book, bottom, editorShare } = get();
    localStorage.setItem(KEY, JSON.stringify({ watchlist, book, bottom, editorShare }));
  },
  reset: () => {
    localStorage.removeItem(KEY);
    set(initialSizes());
  },
}));
