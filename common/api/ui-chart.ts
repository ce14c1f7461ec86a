/**
 * The chart part of the UI state kept by core: drawings per instrument (trend lines, horizontal
 * lines, rectangles, Fibonacci retracements) and named workspace layouts. A layout is stored as
 * the renderer wrote it (any JSON object up to a size cap), so a layout written by a newer version
 * is kept whole and the renderer restores what it understands.
 */
import { z } from "zod";
import { method } from "./define.ts";

/** The drawing tools. */
export const DRAWING_KINDS = ["trend", "hline", "rect", "fib"] as const;
/** A drawing tool. */
export type DrawingKind = (typeof DRAWING_KINDS)[number];

/** A point of a drawing: a bar time (UTC ms) and a price. */
export interface DrawingAnchor {
  time: number;
  price: number;
}

/** One drawing; a horizontal line uses `a` only (`b` repeats it). */
export interface ChartDrawing {
  id: string;
  kind: DrawingKind;
  a: DrawingAnchor;
  b: DrawingAnchor;
}

/** A saved layout: its name and what the renderer stored. */
export interface SavedLayout {
  name: string;
  layout: Record<string, unknown>;
  savedAt: number;
}

/** At most this many drawings per instrument, and this many saved layouts. */
export const MAX_DRAWINGS = 500;
export const MAX_LAYOUTS = 100;
/** A layout's JSON text may not be longer than this. */
export const MAX_LAYOUT_CHARS = 64_000;

const anchor = z.object({ time: z.number(), price: z.number() });
const drawing = z.object({ id: z.string().min(1).max(64), kind: z.enum(DRAWING_KINDS), a: anchor, b: anchor });
const instrument = { venue: z.string().min(1).max(32), symbol: z.string().trim().min(1).max(64) };
const layoutName = z.string().trim().min(1).max(80);
const layoutBody = z.record(z.string(), z.unknown()).refine((v) => JSON.stringify(v).length <= MAX_LAYOUT_CHARS, `a layout is at most ${MAX_LAYOUT_CHARS} characters of JSON`);

/** Requests of the chart UI state. */
export const uiChartApi = {
  "ui.drawings.get": method(z.object(instrument)).returns<ChartDrawing[]>(),
  "ui.drawings.set": method(z.object({ ...instrument, drawings: z.array(drawing).max(MAX_DRAWINGS) })).returns<ChartDrawing[]>(),
  "ui.layouts.list": method(z.object({})).returns<SavedLayout[]>(),
  "ui.layouts.save": method(z.object({ name: layoutName, layout: layoutBody })).returns<SavedLayout[]>(),
  "ui.layouts.delete": method(z.object({ name: layoutName })).returns<SavedLayout[]>(),
};
