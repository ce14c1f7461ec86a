/**
 * The chart grid: 1, 2 or 4 charts, and whether the symbol and the timeframe are linked. Chart 0
 * is the main chart (`stores/chart.ts`: the one the book, the run form and the watchlist follow);
 * the others keep their own instrument and timeframe, used when not linked. Remembered in
 * localStorage like the main chart.
 */
import { create } from "zustand";
import { TIMEFRAMES, type Timeframe } from "../../../common/market/bars.ts";
import type { InstrumentRef } from "../chart/types.ts";

/** How many charts the grid shows. */
export type GridCount = 1 | 2 | 4;

/** What one chart of the grid was set to (charts 1..3). */
export interface GridCell {
  instrument: InstrumentRef | null;
  timeframe: Timeframe;
}

/** The grid's state. */
export interface GridState {
  count: GridCount;
  linkSymbol: boolean;
  linkTimeframe: boolean;
  /** Charts 1..3 (index 0 unused: the main chart). */
  cells: GridCell[];
}

/** What chart `index` shows: the main chart's symbol and/or timeframe where linked, its own otherwise. */
export function cellShows(index: number, grid: GridState, main: GridCell): GridCell {
  if (index === 0) return main;
  const own = grid.cells[index] ?? { instrument: null, timeframe: main.timeframe };
  return {
    instrument: grid.linkSymbol ? main.instrument : (own.instrument ?? main.instrument),
    timeframe: grid.linkTimeframe ? main.timeframe : own.timeframe,
  };
}

/**
 * The grid after turning a link on or off: turned off, each chart keeps what it showed (it was
 * following the main chart), so nothing jumps.
 */
export function withLink(grid: GridState, link: "linkSymbol" | "linkTimeframe", on: boolean, main: GridCell): GridState {
  const cells = on ? grid.cells : grid.cells.map((c, i) => (i === 0 ? c : { ...c, ...(link === "linkSymbol" ? { instrument: cellShows(i, grid, main).instrument } : { timeframe: cellShows(i, grid, main).timeframe }) }));
  return { ...grid, cells, [link]: on };
}

const KEY = "workstation.grid";
const EMPTY_CELLS: GridCell[] = [0, 1, 2, 3].map(() => ({ instrument: null, timeframe: "1m" }));

/** A grid state from anything (saved or a layout): bad parts take their defaults. */
export function readGrid(raw: unknown): GridState {
  const r = (typeof raw === "object" && raw !== null ? raw : {}) as Partial<Record<keyof GridState, unknown>>;
  const cells = Array.isArray(r.cells) ? r.cells : [];
  return {
    count: r.count === 2 || r.count === 4 ? r.count : 1,
    linkSymbol: r.linkSymbol !== false,
    linkTimeframe: r.linkTimeframe !== false,
    cells: EMPTY_CELLS.map((empty, i) => readCell(cells[i]) ?? empty),
  };
}

function readCell(raw: unknown): GridCell | null {
  const c = raw as { instrument?: { venue?: unknown; symbol?: unknown } | null; timeframe?: unknown } | null;
  if (typeof c !== "object" || c === null) return null;
  const i = c.instrument;
  const instrument = i && typeof i.venue === "string" && typeof i.symbol === "string" ? { venue: i.venue, symbol: i.symbol } : null;
  const timeframe = typeof c.timeframe === "string" && Object.hasOwn(TIMEFRAMES, c.timeframe) ? (c.timeframe as Timeframe) : "1m";
  return { instrument, timeframe };
}

function load(): GridState {
  try {
    return readGrid(JSON.parse(localStorage.getItem(KEY) ?? "{}"));
  } catch {
    return readGrid({});
  }
}

/** The grid store. */
export const useGrid = create<GridState & { set(patch: Partial<GridState>): void; setCell(index: number, cell: Partial<GridCell>): void }>((set, get) => ({
  ...load(),
  set: (patch) => set(patch),
  setCell: (index, cell) => set({ cells: get().cells.map((c, i) => (i === index ? { ...c, ...cell } : c)) }),
}));

useGrid.subscribe((s) => {
  try {
    localStorage.setItem(KEY, JSON.stringify({ count: s.count, linkSymbol: s.linkSymbol, linkTimeframe: s.linkTimeframe, cells: s.cells }));
  } catch {
    // a profile without storage keeps the grid for this page only
  }
});
