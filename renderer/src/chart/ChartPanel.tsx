/**
 * The chart panel: timeframe switcher, indicator bar, crosshair legend and the chart itself.
 * The chart lives in a {@link ChartController}; this component only connects it to the stores.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { create } from "zustand";
import { timeframeLabel, type Timeframe } from "../../../common/market/bars.ts";
import { ChartAlerts } from "../alerts/ChartAlerts.tsx";
import { Latest, textPanelScheduler } from "../lib/frame.ts";
import { onAction } from "../lib/shortcuts.ts";
import { themeColors } from "../lib/theme-colors.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { tradeMarkers } from "../results/markers.ts";
import { useBacktest } from "../stores/backtest.ts";
import { TIMEFRAME_LIST, useChart } from "../stores/chart.ts";
import { useConnection } from "../stores/connection.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { useTimeZone } from "../stores/settings.ts";
import { useTheme } from "../stores/theme.ts";
import { ChartController, type LegendBar } from "./controller.ts";
import { ChartFeed, type FeedStatus } from "./feed.ts";
import { IndicatorBar } from "./IndicatorBar.tsx";
import { followStoredBars, useStoredBars } from "./open-stored.ts";
import { usableTimeframes } from "./stored-timeframe.ts";
import { Legend as LegendView } from "./Legend.tsx";
import { isDateOnly } from "../../../common/market/timeframes.ts";

function Legend({ title, timeZone, dateOnly }: { title: string; timeZone: string; dateOnly: boolean }): React.JSX.Element {
  const { bar, decimals } = useLegend();
  return <LegendView title={title} bar={bar} decimals={decimals} timeZone={timeZone} dateOnly={dateOnly} />;
}

function TimeframeSwitcher(): React.JSX.Element {
  const timeframe = useChart((s) => s.timeframe);
  const setTimeframe = useChart((s) => s.setTimeframe);
  const storedMs = useStoredBars((s) => s.storedMs);
  const usable = usableTimeframes(storedMs);
  const stored = storedMs === null ? "" : timeframeLabel(storedMs);
  return (
    <div className="tf-switch" role="group" aria-label="Timeframe" data-testid="tf-switch" data-stored={stored}>
      {TIMEFRAME_LIST.map((tf, i) => {
        const empty = !usable.includes(tf);
        const title = empty ? `${tf}: no data — this series holds ${stored} bars (${usable.join(", ")} can be shown)` : `${tf} (${i + 1})`;
        return (
          <button key={tf} type="button" className={empty ? "tf-empty" : ""} aria-pressed={tf === timeframe} data-testid={`tf-${tf}`} data-empty={empty} title={title} onClick={() => setTimeframe(tf)}>
            {tf}
          </button>
        );
      })}
    </div>
  );
}

function StatusOverlay({ status }: { status: FeedStatus }): React.JSX.Element | null {
  const search = (): void => useDialogs.getState().show("search");
  if (status.kind === "idle") return <div className="chart-overlay"><Empty action={<button type="button" onClick={search}>Search symbols (/)</button>}>No symbol open.</Empty></div>;
  if (status.kind === "loading") return <div className="chart-overlay chart-loading" data-testid="chart-loading">Loading candles…</div>;
  if (status.kind === "error") return <div className="chart-overlay"><Empty testId="chart-error">Could not load candles: {status.message}</Empty></div>;
  if (status.kind === "empty") {
    const stored = useStoredBars.getState().storedMs;
    if (stored !== null) return <div className="chart-overlay"><Empty testId="chart-empty">This series holds {timeframeLabel(stored)} bars: pick {usableTimeframes(stored).join(", ")}.</Empty></div>;
    const why = status.reason ? `The venue's recent candles could not be read (${status.reason}); the chart` : "No data for this symbol yet — it";
    return <div className="chart-overlay"><Empty testId="chart-empty">{why} fills as soon as the feed or an import brings some.</Empty></div>;
  }
  return null;
}

/** The legend's bar, apart from the panel's state so live updates re-render only the legend. */
const useLegend = create<{ bar: LegendBar | null; decimals: number | null }>(() => ({ bar: null, decimals: null }));

/** Hook: the chart controller and its feed, created once per mount. */
function useChartEngine(container: React.RefObject<HTMLDivElement | null>): { ctrl: ChartController | null; feed: ChartFeed | null; status: FeedStatus } {
  const [engine, setEngine] = useState<{ ctrl: ChartController; feed: ChartFeed } | null>(null);
  const [status, setStatus] = useState<FeedStatus>({ kind: "idle" });
  const setLegend = (bar: LegendBar | null, decimals: number | null = null): void => useLegend.setState({ bar, decimals });
  useEffect(() => {
    if (!container.current) return;
    let feed: ChartFeed | null = null;
    // Live updates of the legend are paced like the other text panels; the crosshair's and a new
    // series' are immediate and make a live value still waiting for its frame stale.
    const liveLegend = new Latest<LegendBar | null>((bar) => !ctrl.isHovering && setLegend(bar, ctrl.decimals), textPanelScheduler());
    const onLegend = (bar: LegendBar | null, live?: boolean): void => {
      if (live) return liveLegend.push(bar);
      liveLegend.clear();
      setLegend(bar, ctrl.decimals);
    };
    const ctrl = new ChartController(container.current, themeColors(), { onNeedHistory: () => void feed?.loadOlder(), onLegend });
    feed = new ChartFeed(ctrl, setStatus);
    setEngine({ ctrl, feed });
    return () => {
      liveLegend.dispose();
      feed.dispose();
      ctrl.dispose();
    };
  }, [container]);
  return { ctrl: engine?.ctrl ?? null, feed: engine?.feed ?? null, status };
}

/** The chart panel. */
export function ChartPanel(): React.JSX.Element {
  const container = useRef<HTMLDivElement | null>(null);
  const { ctrl, feed, status } = useChartEngine(container);
  const { instrument, timeframe, indicators, focusTime } = useChart();
  const theme = useTheme((s) => s.theme);
  const timeZone = useTimeZone();
  const result = useBacktest((s) => s.result);
  // After core comes back the chart is read again: bars of the outage and the forming bar's start were missed.
  const reconnects = useConnection((s) => s.reconnects);
  useEffect(() => void feed?.open(instrument, timeframe), [feed, instrument, timeframe, reconnects]);
  useEffect(() => ctrl?.setColors(themeColors()), [ctrl, theme]);
  useEffect(() => ctrl?.setTimeZone(timeZone, isDateOnly(timeframe)), [ctrl, timeZone, timeframe]);
  useEffect(() => ctrl?.setIndicators(indicators), [ctrl, indicators]);
  const markers = useMemo(
    () => (result && instrument && result.symbol === instrument.symbol && result.venue === instrument.venue ? tradeMarkers(result.trades, timeframe) : []),
    [result, instrument, timeframe],
  );
  useEffect(() => ctrl?.setMarkers(markers), [ctrl, markers, status.kind]);
  useEffect(() => {
    if (!ctrl || !feed || focusTime === null || status.kind !== "ready" || !feed.isShowing(instrument, timeframe)) return;
    const end = useChart.getState().focusEnd;
    useChart.getState().focus(null);
    void feed.reveal(focusTime).then((shown) => shown && ctrl.scrollToTime(focusTime, end));
  }, [ctrl, feed, focusTime, status.kind, instrument, timeframe]);
  useEffect(() => followStoredBars(), []);
  useEffect(() => onAction("timeframe", (a) => useChart.getState().setTimeframe(a.timeframe as Timeframe)), []);
  const title = instrument ? `${instrument.symbol} · ${timeframe} · ${instrument.venue}` : "Chart";
  return (
    <Panel title="Chart" area="chart" fill style={{ flex: 1 }} actions={<><IndicatorBar /><TimeframeSwitcher /></>}>
      <div className="chart-wrap" data-testid="chart" data-status={status.kind} data-bars={status.kind === "ready" ? status.bars : 0} data-markers={markers.length}>
        <Legend title={title} timeZone={timeZone} dateOnly={isDateOnly(timeframe)} />
        <div className="chart-canvas" ref={container} />
        <ChartAlerts ctrl={ctrl} host={ctrl ? container.current : null} />
        <StatusOverlay status={status} />
      </div>
    </Panel>
  );
}
