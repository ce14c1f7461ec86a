/**
 * Named workspace layouts: what is saved (the main chart's symbol, timeframe, scale and
 * indicators, and the chart grid) and how a saved layout is restored. Restoring never fails and
 * never leaves a blank window: a layout written by a newer version is read as far as this one
 * understands, a symbol that no longer exists keeps the chart's current one (a grid chart follows
 * the main chart), anything unreadable takes its default — each with a one-line note.
 */
import { TIMEFRAMES, type Timeframe } from "../../../common/market/bars.ts";
import type { IndicatorConfig, InstrumentRef, ScaleMode } from "../chart/types.ts";
import { readGrid, type GridState } from "../stores/grid.ts";

/** The version of the layouts this build writes. */
export const LAYOUT_VERSION = 1;

/** The main chart's part of a layout. */
export interface ChartPart {
  instrument: InstrumentRef | null;
  timeframe: Timeframe;
  scale: ScaleMode;
  indicators: IndicatorConfig[];
}

/** A layout as saved. */
export interface WorkspaceLayout {
  version: number;
  chart: ChartPart;
  grid: GridState;
}

/** A layout restored: what to apply (null instrument: keep the current one) and the notes. */
export interface RestoredLayout {
  chart: ChartPart;
  grid: GridState;
  notes: string[];
}

/** The layout of the current workspace. */
export function captureLayout(chart: ChartPart, grid: GridState): WorkspaceLayout {
  return { version: LAYOUT_VERSION, chart: { ...chart }, grid: { ...grid, cells: grid.cells.map((c) => ({ ...c })) } };
}

function readInstrument(raw: unknown): InstrumentRef | null {
  const i = raw as { venue?: unknown; symbol?: unknown } | null;
  return typeof i === "object" && i !== null && typeof i.venue === "string" && typeof i.symbol === "string" ? { venue: i.venue, symbol: i.symbol } : null;
}

function readIndicators(raw: unknown): IndicatorConfig[] {
  if (!Array.isArray(raw)) return [];
  const kinds = ["sma", "ema", "bbands", "rsi", "macd"];
  return (raw as Array<Partial<IndicatorConfig> | null>).filter((c): c is IndicatorConfig => !!c && typeof c.id === "number" && kinds.includes(c.kind as string) && typeof c.period === "number");
}

const label = (i: InstrumentRef): string => `${i.symbol} on ${i.venue}`;

/** Reads a saved layout as far as possible; `known` says whether an instrument still exists. */
export function restoreLayout(raw: unknown, known: (i: InstrumentRef) => boolean): RestoredLayout {
  const notes: string[] = [];
  const r = (typeof raw === "object" && raw !== null ? raw : {}) as { version?: unknown; chart?: Record<string, unknown>; grid?: unknown };
  if (typeof raw !== "object" || raw === null) notes.push("The layout could not be read: defaults were used.");
  if (typeof r.version === "number" && r.version > LAYOUT_VERSION) notes.push(`Saved by a newer version (layout v${r.version}): restored what this version understands.`);
  const c = r.chart ?? {};
  let instrument = readInstrument(c.instrument);
  if (instrument && !known(instrument)) {
    notes.push(`${label(instrument)} no longer exists: the chart keeps its symbol.`);
    instrument = null;
  }
  const timeframe = typeof c.timeframe === "string" && Object.hasOwn(TIMEFRAMES, c.timeframe) ? (c.timeframe as Timeframe) : "1m";
  if (c.timeframe !== undefined && timeframe !== c.timeframe) notes.push(`Unknown timeframe "${String(c.timeframe)}": 1m was used.`);
  const scale: ScaleMode = c.scale === "log" || c.scale === "percent" ? c.scale : "normal";
  const grid = readGrid(r.grid);
  grid.cells = grid.cells.map((cell) => {
    if (!cell.instrument || known(cell.instrument)) return cell;
    notes.push(`${label(cell.instrument)} no longer exists: its grid chart follows the main chart's symbol.`);
    return { ...cell, instrument: null };
  });
  return { chart: { instrument, timeframe, scale, indicators: readIndicators(c.indicators) }, grid, notes };
}
