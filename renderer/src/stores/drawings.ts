/**
 * Chart drawings per instrument, kept by core (`ui.drawings.*`, the app database) so they come
 * back after a reload and in every window; and the drawing tool in use. Saved drawings that
 * cannot be read are dropped with a note, the rest restored. A failed save keeps the drawings on
 * screen and says so.
 */
import { create } from "zustand";
import { readDrawings, type ChartDrawing, type DrawingKind } from "../chart/drawings.ts";
import type { InstrumentRef } from "../chart/types.ts";
import { api } from "./connection.ts";

/** The key of an instrument's drawings. */
export function drawingKey(i: InstrumentRef): string {
  return `${i.venue}:${i.symbol}`;
}

interface DrawingsState {
  tool: DrawingKind | null;
  /** Drawings by {@link drawingKey}, once loaded. */
  byKey: Record<string, ChartDrawing[]>;
  /** A one-line note on the last load or save (bad entries dropped, a save refused), or null. */
  note: string | null;
  setTool(tool: DrawingKind | null): void;
  load(instrument: InstrumentRef): Promise<void>;
  add(instrument: InstrumentRef, drawing: ChartDrawing): Promise<void>;
  undo(instrument: InstrumentRef): Promise<void>;
  clear(instrument: InstrumentRef): Promise<void>;
}

const NONE: ChartDrawing[] = [];

/** The drawings store. */
export const useDrawings = create<DrawingsState>((set, get) => {
  const save = async (instrument: InstrumentRef, drawings: ChartDrawing[]): Promise<void> => {
    set({ byKey: { ...get().byKey, [drawingKey(instrument)]: drawings } });
    try {
      await api.call("ui.drawings.set", { venue: instrument.venue, symbol: instrument.symbol, drawings });
      set({ note: null });
    } catch (err) {
      set({ note: `Drawings not saved: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  const list = (instrument: InstrumentRef): ChartDrawing[] => get().byKey[drawingKey(instrument)] ?? NONE;
  return {
    tool: null,
    byKey: {},
    note: null,
    setTool: (tool) => set({ tool }),
    load: async (instrument) => {
      try {
        const { drawings, dropped } = readDrawings(await api.call("ui.drawings.get", { venue: instrument.venue, symbol: instrument.symbol }));
        set({ byKey: { ...get().byKey, [drawingKey(instrument)]: drawings }, note: dropped > 0 ? `${dropped} saved drawing${dropped > 1 ? "s" : ""} could not be read and ${dropped > 1 ? "were" : "was"} left out` : null });
      } catch (err) {
        set({ note: `Drawings not loaded: ${err instanceof Error ? err.message : String(err)}` });
      }
    },
    add: (instrument, drawing) => save(instrument, [...list(instrument), drawing]),
    undo: (instrument) => save(instrument, list(instrument).slice(0, -1)),
    clear: (instrument) => save(instrument, []),
  };
});

/** Hook: the drawings of an instrument (none until loaded). */
export function useInstrumentDrawings(instrument: InstrumentRef | null): ChartDrawing[] {
  return useDrawings((s) => (instrument ? (s.byKey[drawingKey(instrument)] ?? NONE) : NONE));
}
