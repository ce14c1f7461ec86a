/**
 * The hook both kinds of chart (the main chart, a grid chart) are built on: a
 * {@link ChartController} and its {@link ChartFeed}, made once per mount and disposed with it,
 * the controller's crosshair legend feeding a legend store. Charts mounted together (the 2×2
 * grid) are made on successive frames, so their first paints do not all land in one frame.
 */
import { useEffect, useRef, useState } from "react";
import { chartFrames } from "../lib/frame.ts";
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
    const el = container.current;
    if (!el) return;
    let unmounted = false;
    let made: { ctrl: ChartController; feed: ChartFeed } | null = null;
    const legendCallbacks = legendFeed(legend, () => made?.ctrl ?? null);
    // Made on a frame of its own when other charts mount at once (see chartFrames): each new
    // chart's first full paint then goes to a frame of its own.
    chartFrames.scheduler(() => {
      if (unmounted) return;
      const ctrl = new ChartController(el, themeColors(), {
        onNeedHistory: () => void made?.feed.loadOlder(),
        onLegend: legendCallbacks.onLegend,
        onDrawing: (d) => drawn.current?.(d),
      });
      made = { ctrl, feed: new ChartFeed(ctrl, setStatus) };
      setEngine(made);
    });
    return () => {
      unmounted = true;
      legendCallbacks.dispose();
      if (!made) return;
      const gone = made;
      gone.feed.dispose();
      gone.ctrl.dispose();
      setEngine((current) => (current === gone ? null : current));
    };
  }, [container, legend]);
  return { ctrl: engine?.ctrl ?? null, feed: engine?.feed ?? null, status };
}
