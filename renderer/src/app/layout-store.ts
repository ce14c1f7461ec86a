/**
 * Named layouts through core (`ui.layouts.*`): save the current workspace under a name, list the
 * saved ones, restore one (applying what `restoreLayout` could read, with its notes). Whether a
 * layout's symbols still exist is asked of core: the store's series, the feeds' symbols and the
 * venues' instrument lists; when core cannot say, a symbol counts as existing.
 */
import { create } from "zustand";
import type { SavedLayout } from "../../../common/api/ui-chart.ts";
import type { InstrumentRef } from "../chart/types.ts";
import { useChart } from "../stores/chart.ts";
import { api } from "../stores/connection.ts";
import { useGrid } from "../stores/grid.ts";
import { captureLayout, restoreLayout } from "./layouts.ts";

const keyOf = (i: InstrumentRef): string => `${i.venue}:${i.symbol}`;

/** The instruments among `wanted` that core still knows. */
async function existing(wanted: InstrumentRef[]): Promise<(i: InstrumentRef) => boolean> {
  if (wanted.length === 0) return () => true;
  try {
    const [stored, feeds, ...hits] = await Promise.all([
      api.call("store.symbols", {}),
      api.call("market.feeds", {}),
      ...wanted.map((i) => api.call("market.instruments.search", { query: i.symbol, limit: 50 })),
    ]);
    const known = new Set<string>([...stored.map(keyOf), ...feeds.feeds.flatMap((f) => f.symbols.map((symbol) => keyOf({ venue: f.feed, symbol })))]);
    for (const list of hits) for (const h of list) known.add(keyOf({ venue: h.feed, symbol: h.symbol }));
    return (i) => known.has(keyOf(i));
  } catch {
    return () => true;
  }
}

function instrumentsIn(raw: unknown): InstrumentRef[] {
  const r = raw as { chart?: { instrument?: unknown }; grid?: { cells?: unknown } } | null;
  const list = [r?.chart?.instrument, ...(Array.isArray(r?.grid?.cells) ? (r.grid.cells as Array<{ instrument?: unknown } | null>).map((c) => c?.instrument) : [])];
  return list.filter((i): i is InstrumentRef => typeof i === "object" && i !== null && typeof (i as InstrumentRef).venue === "string" && typeof (i as InstrumentRef).symbol === "string");
}

interface LayoutsState {
  saved: SavedLayout[];
  /** Notes of the last restore, or the error of the last call. */
  notes: string[];
  refresh(): Promise<void>;
  save(name: string): Promise<void>;
  restore(name: string): Promise<void>;
}

/** The layouts store. */
export const useLayouts = create<LayoutsState>((set, get) => {
  const attempt = async (op: () => Promise<void>): Promise<void> => {
    try {
      await op();
    } catch (err) {
      set({ notes: [err instanceof Error ? err.message : String(err)] });
    }
  };
  return {
    saved: [],
    notes: [],
    refresh: () => attempt(async () => set({ saved: await api.call("ui.layouts.list", {}) })),
    save: (name) => attempt(async () => {
      const c = useChart.getState();
      const layout = captureLayout({ instrument: c.instrument, timeframe: c.timeframe, scale: c.scale, indicators: c.indicators }, useGrid.getState());
      set({ saved: await api.call("ui.layouts.save", { name, layout: layout as unknown as Record<string, unknown> }), notes: [`Saved "${name}".`] });
    }),
    restore: (name) => attempt(async () => {
      const found = get().saved.find((l) => l.name === name);
      if (!found) return set({ notes: [`No layout named "${name}".`] });
      const restored = restoreLayout(found.layout, await existing(instrumentsIn(found.layout)));
      const { instrument, indicators, ...chart } = restored.chart;
      useChart.setState(instrument ? { ...chart, instrument } : chart);
      useChart.getState().replaceIndicators(indicators);
      const { count, linkSymbol, linkTimeframe, cells } = restored.grid;
      useGrid.getState().set({ count, linkSymbol, linkTimeframe, cells });
      set({ notes: restored.notes.length > 0 ? restored.notes : [`Restored "${name}".`] });
    }),
  };
});
