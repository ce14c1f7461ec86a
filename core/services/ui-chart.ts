/**
 * Chart UI state in the app database's settings table: drawings per instrument
 * (`ui.drawings:<venue>:<symbol>`) and the named layouts (`ui.layouts`), with the `ui.drawings.*`
 * and `ui.layouts.*` handlers. An empty drawing list removes nothing else; saving a layout under
 * an existing name replaces it.
 */
import { ApiError } from "../../common/api/errors.ts";
import { MAX_LAYOUTS, type ChartDrawing, type SavedLayout } from "../../common/api/ui-chart.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import type { UiStateDb } from "./ui-state.ts";

const LAYOUTS_KEY = "ui.layouts";

/** The settings key of an instrument's drawings. */
export function drawingsKey(venue: string, symbol: string): string {
  return `ui.drawings:${venue}:${symbol}`;
}

/** Reads and writes drawings and layouts. */
export class ChartUiState {
  private readonly open: () => UiStateDb;

  /** `open` returns the app database (called on each use). */
  constructor(open: () => UiStateDb) {
    this.open = open;
  }

  /** The instrument's drawings (none when never saved). */
  drawings(venue: string, symbol: string): ChartDrawing[] {
    return this.open().getSetting<ChartDrawing[]>(drawingsKey(venue, symbol)) ?? [];
  }

  /** Replaces the instrument's drawings; returns them. */
  setDrawings(venue: string, symbol: string, drawings: ChartDrawing[]): ChartDrawing[] {
    this.open().setSetting(drawingsKey(venue, symbol), drawings);
    return drawings;
  }

  /** The saved layouts, by name. */
  layouts(): SavedLayout[] {
    const saved = this.open().getSetting<SavedLayout[]>(LAYOUTS_KEY);
    return Array.isArray(saved) ? [...saved].sort((a, b) => a.name.localeCompare(b.name)) : [];
  }

  /** Saves (or replaces) a layout; refuses a new one past {@link MAX_LAYOUTS}. */
  saveLayout(name: string, layout: Record<string, unknown>): SavedLayout[] {
    const others = this.layouts().filter((l) => l.name !== name);
    if (others.length >= MAX_LAYOUTS) throw new ApiError("bad_request", `at most ${MAX_LAYOUTS} layouts: delete one first`);
    this.open().setSetting(LAYOUTS_KEY, [...others, { name, layout, savedAt: Date.now() }]);
    return this.layouts();
  }

  /** Deletes a layout (nothing when there is none of that name). */
  deleteLayout(name: string): SavedLayout[] {
    this.open().setSetting(LAYOUTS_KEY, this.layouts().filter((l) => l.name !== name));
    return this.layouts();
  }
}

type ChartMethods = "ui.drawings.get" | "ui.drawings.set" | "ui.layouts.list" | "ui.layouts.save" | "ui.layouts.delete";

/** Builds the chart UI state's part of the handler map. */
export function uiChartHandlers(state: ChartUiState): PartialHandlers<ChartMethods> {
  return {
    "ui.drawings.get": ({ venue, symbol }) => state.drawings(venue, symbol),
    "ui.drawings.set": ({ venue, symbol, drawings }) => state.setDrawings(venue, symbol, drawings),
    "ui.layouts.list": () => state.layouts(),
    "ui.layouts.save": ({ name, layout }) => state.saveLayout(name, layout),
    "ui.layouts.delete": ({ name }) => state.deleteLayout(name),
  };
}
