/**
 * The hook both kinds of chart (the main chart, a grid chart) are built on: a
 * {@link ChartController} and its {@link ChartFeed}, made once per mount and disposed with it,
 * the controller's crosshair legend feeding a legend store.
 */
import { useEffect, useRef, useState } from "react";
import { themeColors } from "../lib/theme-colors.ts";
import { ChartController } from "./controller.ts";
import type { ChartDrawing } from "./drawings.ts";
import { ChartFeed, type FeedStatus } from "./feed.ts";
import { legendFeed, type LegendStore } from "./legend-feed.ts";

/** What {@link useChartEngine} gives: the controller and feed once made, and the feed's status. */
export interface ChartEngine {
  ctrl: ChartController | null;
  feed: ChartFeed | null;
  status: FeedStatus;
}

/** Hook: a chart in `container`, its legend into `legend`; `onDrawing` receives finished drawings (read at the time of the drawing). */
export function useChartEngine(container: React.RefObject<HTMLDivElement | null>, legend: LegendStore, onDrawing?: (d: ChartDrawing) => void): ChartEngine {
  const [engine, setEngine] = useState<{ ctrl: ChartController; feed: ChartFeed } | null>(null);
  const [status, setStatus] = useState<FeedStatus>({ kind: "idle" });
  const drawn = useRef(onDrawing);
  drawn.current = onDrawing;
  useEffect(() => {
    if (!container.current) return;
    let ctrl: ChartController | null = null;
    let feed: ChartFeed | null = null;
    const legendCallbacks = legendFeed(legend, () => ctrl);
    const made = new ChartController(container.current, themeColors(), {
      onNeedHistory: () => void feed?.loadOlder(),
      onLegend: legendCallbacks.onLegend,
      onDrawing: (d) => drawn.current?.(d),
    });
    const madeFeed = new ChartFeed(made, setStatus);
    ctrl = made;
    feed = madeFeed;
    setEngine({ ctrl: made, feed: madeFeed });
    return () => {
      legendCallbacks.dispose();
      madeFeed.dispose();
      made.dispose();
    };
  }, [container, legend]);
  return { ctrl: engine?.ctrl ?? null, feed: engine?.feed ?? null, status };
}
