/**
 * What a chart's crosshair legend shows (the bar, the price decimals, the indicators' values at
 * the bar), kept in a store of its own per chart so a live update re-renders only the legend.
 * Live updates are paced like the other text panels; the crosshair's and a new series' are
 * immediate and make a live value still waiting for its frame stale.
 */
import { create, type StoreApi, type UseBoundStore } from "zustand";
import { Latest, textPanelScheduler, type FrameScheduler } from "../lib/frame.ts";
import type { ChartController, LegendBar } from "./controller.ts";
import type { IndicatorReading } from "./indicator-layer.ts";

/** The legend's content. */
export interface LegendState {
  bar: LegendBar | null;
  decimals: number | null;
  readings: IndicatorReading[];
}

/** A legend store (one per chart). */
export type LegendStore = UseBoundStore<StoreApi<LegendState>>;

/** A new, empty legend store. */
export function createLegendStore(): LegendStore {
  return create<LegendState>(() => ({ bar: null, decimals: null, readings: [] }));
}

/**
 * The controller's `onLegend` callback feeding `store`, and its disposal; `ctrl` is read when a bar
 * arrives (the controller is made after the callback); `schedule` paces the live updates.
 */
export function legendFeed(
  store: LegendStore,
  ctrl: () => Pick<ChartController, "decimals" | "isHovering" | "indicatorValues"> | null,
  schedule: FrameScheduler = textPanelScheduler(),
): { onLegend(bar: LegendBar | null, live?: boolean): void; dispose(): void } {
  const show = (bar: LegendBar | null): void => {
    const c = ctrl();
    store.setState({ bar, decimals: c ? c.decimals : null, readings: bar && c ? c.indicatorValues(bar.time) : [] });
  };
  const liveLegend = new Latest<LegendBar | null>((bar) => !ctrl()?.isHovering && show(bar), schedule);
  return {
    onLegend: (bar, live) => {
      if (live) return liveLegend.push(bar);
      liveLegend.clear();
      show(bar);
    },
    dispose: () => liveLegend.dispose(),
  };
}
