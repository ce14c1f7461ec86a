/**
 * The chart panel: timeframe switcher, indicator bar, the tools row (scale, fit all, drawings),
 * crosshair legend, alert lines with the right-click price alert, and the chart itself.
 * The chart lives in a {@link ChartController}; this component only connects it to the stores.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { timeframeLabel, type Timeframe } from "../../../common/market/bars.ts";
import { ChartAlerts } from "../alerts/ChartAlerts.tsx";
import { onAction } from "../lib/shortcuts.ts";
import { themeColors } from "../lib/theme-colors.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { tradeMarkers } from "../results/markers.ts";
import { mergeMarkers, usePaperFillMarkers } from "../trading/fill-markers.ts";
import { useBacktest } from "../stores/backtest.ts";
import { TIMEFRAME_LIST, useChart } from "../stores/chart.ts";
import { useConnection } from "../stores/connection.ts";
import { useDialogs } from "../stores/dialogs.ts";
import { useTimeZone } from "../stores/settings.ts";
import { useTheme } from "../stores/theme.ts";
import { useDrawings, useInstrumentDrawings } from "../stores/drawings.ts";
import { ChartTools } from "./ChartTools.tsx";
import type { ChartDrawing } from "./drawings.ts";
import type { ChartController } from "./controller.ts";
import { type ChartFeed, firstPage, type FeedStatus } from "./feed.ts";
import { IndicatorBar } from "./IndicatorBar.tsx";
import { createLegendStore } from "./legend-feed.ts";
import { useChartEngine } from "./use-chart-engine.ts";
import { followStoredBars, useStoredBars } from "./open-stored.ts";
import { usableTimeframes } from "./stored-timeframe.ts";
import { Legend as LegendView } from "./Legend.tsx";
import { isDateOnly } from "../../../common/market/timeframes.ts";

/** The main chart's legend store (live updates re-render only the legend). */
const useLegend = createLegendStore();

function Legend({ title, timeZone, dateOnly }: { title: string; timeZone: string; dateOnly: boolean }): React.JSX.Element {
  const { bar, decimals, readings } = useLegend();
  return <LegendView title={title} bar={bar} decimals={decimals} timeZone={timeZone} dateOnly={dateOnly} readings={readings} />;
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

/** Saves a finished drawing on the main chart's symbol and ends the tool. */
function onDrawing(d: ChartDrawing): void {
  const instrument = useChart.getState().instrument;
  useDrawings.getState().setTool(null);
  if (instrument) void useDrawings.getState().add(instrument, d);
}

/**
 * Hook: the compare symbol's bars (the chart's timeframe) on the chart once its own bars are there;
 * a note when it has none; how many of its bars were given to the chart.
 */
function useCompare(ctrl: ChartController | null, status: FeedStatus): { note: string | null; bars: number } {
  const { compare, timeframe } = useChart();
  const [note, setNote] = useState<string | null>(null);
  const [bars, setBars] = useState(0);
  const ready = status.kind === "ready";
  useEffect(() => {
    setBars(0);
    if (!ctrl) return;
    if (!compare || !ready) return void ctrl.setCompare(null);
    let live = true;
    firstPage(compare, timeframe).then(
      (page) => {
        if (!live) return;
        ctrl.setCompare(page.bars, compare.symbol);
        setBars(page.bars.time.length);
        setNote(page.bars.time.length === 0 ? `${compare.symbol} has no ${timeframe} bars to compare` : null);
      },
      (err: unknown) => live && setNote(`${compare.symbol} could not be compared: ${err instanceof Error ? err.message : String(err)}`),
    );
    return () => {
      live = false;
    };
  }, [ctrl, compare, timeframe, ready]);
  return { note: compare ? note : null, bars };
}

/** Hook: the symbol's drawings, the tool and the scale mode applied to the chart; and "fit all". */
function useChartTools(ctrl: ChartController | null, feed: ChartFeed | null, status: FeedStatus): { fitAll(): void; fitNote: string | null; compareBars: number } {
  const { instrument, scale } = useChart();
  const drawings = useInstrumentDrawings(instrument);
  const tool = useDrawings((s) => s.tool);
  const [fitNote, setFitNote] = useState<string | null>(null);
  useEffect(() => void (instrument && useDrawings.getState().load(instrument)), [instrument]);
  useEffect(() => ctrl?.drawings.setDrawings(drawings), [ctrl, drawings]);
  useEffect(() => ctrl?.drawings.setTool(tool), [ctrl, tool]);
  useEffect(() => ctrl?.setScaleMode(scale), [ctrl, scale]);
  useEffect(() => setFitNote(null), [instrument]);
  const compared = useCompare(ctrl, status);
  const fitAll = (): void => {
    if (!ctrl || !feed) return;
    void feed.reveal(Number.NEGATIVE_INFINITY).then((current) => {
      if (!current) return;
      const shown = ctrl.fitAll();
      setFitNote(shown < ctrl.length ? `Showing the oldest ${shown.toLocaleString("en-US")} of ${ctrl.length.toLocaleString("en-US")} bars: scroll right for the rest` : null);
    });
  };
  return { fitAll, fitNote: fitNote ?? compared.note, compareBars: compared.bars };
}

/** The chart panel. */
export function ChartPanel(): React.JSX.Element {
  const container = useRef<HTMLDivElement | null>(null);
  const { ctrl, feed, status } = useChartEngine(container, useLegend, onDrawing);
  const { instrument, timeframe, indicators, focusTime, scale, compare } = useChart();
  const { fitAll, fitNote, compareBars } = useChartTools(ctrl, feed, status);
  const drawingCount = useInstrumentDrawings(instrument).length;
  const theme = useTheme((s) => s.theme);
  const timeZone = useTimeZone();
  const result = useBacktest((s) => s.result);
  // After core comes back the chart is read again: bars of the outage and the forming bar's start were missed.
  const reconnects = useConnection((s) => s.reconnects);
  useEffect(() => void feed?.open(instrument, timeframe), [feed, instrument, timeframe, reconnects]);
  useEffect(() => ctrl?.setColors(themeColors()), [ctrl, theme]);
  useEffect(() => ctrl?.setTimeZone(timeZone, isDateOnly(timeframe)), [ctrl, timeZone, timeframe]);
  useEffect(() => ctrl?.setIndicators(indicators), [ctrl, indicators]);
  const backtestMarkers = useMemo(
    () => (result && instrument && result.symbol === instrument.symbol && result.venue === instrument.venue ? tradeMarkers(result.trades, timeframe) : []),
    [result, instrument, timeframe],
  );
  const paperFills = usePaperFillMarkers(instrument, timeframe);
  const markers = useMemo(() => mergeMarkers(backtestMarkers, paperFills), [backtestMarkers, paperFills]);
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
    <Panel title="Chart" area="chart" fill actions={<><IndicatorBar /><TimeframeSwitcher /></>}>
      <div className="chart-wrap" data-testid="chart" data-status={status.kind} data-bars={status.kind === "ready" ? status.bars : 0} data-markers={markers.length} data-scale={scale} data-drawings={drawingCount} data-compare={compare?.symbol ?? ""} data-compare-bars={compareBars}>
        <Legend title={title} timeZone={timeZone} dateOnly={isDateOnly(timeframe)} />
        <div className="chart-canvas" ref={container} />
        <ChartAlerts ctrl={ctrl} host={ctrl ? container.current : null} />
        <ChartTools onFitAll={fitAll} fitNote={fitNote ?? (status.kind !== "ready" && drawingCount > 0 ? `${drawingCount} drawing${drawingCount > 1 ? "s" : ""} kept: shown once the symbol has bars` : null)} />
        <StatusOverlay status={status} />
      </div>
    </Panel>
  );
}
