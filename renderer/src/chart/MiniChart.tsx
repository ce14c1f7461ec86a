/**
 * A further chart of the grid (charts 1..3): candles, volume, the main chart's indicators (with
 * their values in its own crosshair legend) and the symbol's drawings, on its own controller and
 * feed. Its symbol and timeframe follow the main chart where linked; unlinked, the pickers in its
 * title bar set them. The indicator bar, the tools row and the run form stay with the main chart.
 */
import { useEffect, useRef, useState } from "react";
import { TIMEFRAMES, type Timeframe } from "../../../common/market/bars.ts";
import { isDateOnly } from "../../../common/market/timeframes.ts";
import { themeColors } from "../lib/theme-colors.ts";
import { Panel } from "../panels/Placeholder.tsx";
import { TIMEFRAME_LIST, useChart } from "../stores/chart.ts";
import { useDrawings, useInstrumentDrawings } from "../stores/drawings.ts";
import { cellShows, useGrid } from "../stores/grid.ts";
import { useTimeZone } from "../stores/settings.ts";
import { useTheme } from "../stores/theme.ts";
import { useWatchlist } from "../stores/watchlist.ts";
import { Legend } from "./Legend.tsx";
import { createLegendStore, type LegendStore } from "./legend-feed.ts";
import { useChartEngine } from "./use-chart-engine.ts";

/** Pickers of an unlinked grid chart: a watchlist symbol and a timeframe. */
function CellPickers({ index }: { index: number }): React.JSX.Element {
  const grid = useGrid();
  const main = { instrument: useChart((s) => s.instrument), timeframe: useChart((s) => s.timeframe) };
  const shows = cellShows(index, grid, main);
  const items = useWatchlist((s) => s.items);
  const value = shows.instrument ? `${shows.instrument.venue}\u0000${shows.instrument.symbol}` : "";
  const choices = shows.instrument && !items.some((i) => i.venue === shows.instrument!.venue && i.symbol === shows.instrument!.symbol) ? [shows.instrument, ...items] : items;
  return (
    <>
      <select aria-label="Symbol" data-testid={`cell-${index}-symbol`} disabled={grid.linkSymbol} value={value} onChange={(e) => {
        const [venue, symbol] = e.target.value.split("\u0000");
        if (venue && symbol) grid.setCell(index, { instrument: { venue, symbol } });
      }}>
        {choices.map((i) => <option key={`${i.venue}:${i.symbol}`} value={`${i.venue}\u0000${i.symbol}`}>{i.symbol} · {i.venue}</option>)}
      </select>
      <select aria-label="Timeframe" data-testid={`cell-${index}-timeframe`} disabled={grid.linkTimeframe} value={shows.timeframe} onChange={(e) => Object.hasOwn(TIMEFRAMES, e.target.value) && grid.setCell(index, { timeframe: e.target.value as Timeframe })}>
        {TIMEFRAME_LIST.map((tf) => <option key={tf}>{tf}</option>)}
      </select>
    </>
  );
}

/** A grid chart's legend (its own store: a live update re-renders only it). */
function CellLegend({ store, index, title, timeZone, dateOnly }: { store: LegendStore; index: number; title: string; timeZone: string; dateOnly: boolean }): React.JSX.Element {
  const { bar, decimals, readings } = store();
  return <Legend testId={`chart-${index}-legend`} title={title} bar={bar} decimals={decimals} timeZone={timeZone} dateOnly={dateOnly} readings={readings} />;
}

/** Grid chart `index` (1..3). */
export function MiniChart({ index }: { index: number }): React.JSX.Element {
  const container = useRef<HTMLDivElement | null>(null);
  const [legend] = useState(createLegendStore);
  const { ctrl, feed, status } = useChartEngine(container, legend);
  const grid = useGrid();
  const main = { instrument: useChart((s) => s.instrument), timeframe: useChart((s) => s.timeframe) };
  const indicators = useChart((s) => s.indicators);
  const { instrument, timeframe } = cellShows(index, grid, main);
  const drawings = useInstrumentDrawings(instrument);
  const theme = useTheme((s) => s.theme);
  const timeZone = useTimeZone();
  const key = instrument ? `${instrument.venue}:${instrument.symbol}` : "";
  useEffect(() => void feed?.open(instrument, timeframe), [feed, key, timeframe]);
  useEffect(() => void (instrument && useDrawings.getState().load(instrument)), [key]);
  useEffect(() => ctrl?.drawings.setDrawings(drawings), [ctrl, drawings]);
  useEffect(() => ctrl?.setColors(themeColors()), [ctrl, theme]);
  useEffect(() => ctrl?.setTimeZone(timeZone, isDateOnly(timeframe)), [ctrl, timeZone, timeframe]);
  useEffect(() => ctrl?.setIndicators(indicators), [ctrl, indicators]);
  const title = instrument ? `${instrument.symbol} · ${timeframe}` : "Chart";
  return (
    <Panel title={title} area={`chart-${index}`} fill actions={<CellPickers index={index} />}>
      <div className="chart-wrap" data-testid={`chart-${index}`} data-status={status.kind} data-symbol={instrument?.symbol ?? ""} data-timeframe={timeframe} data-drawings={drawings.length} data-indicators={indicators.length}>
        <CellLegend store={legend} index={index} title={instrument ? `${instrument.symbol} · ${timeframe} · ${instrument.venue}` : "Chart"} timeZone={timeZone} dateOnly={isDateOnly(timeframe)} />
        <div className="chart-canvas" ref={container} />
      </div>
    </Panel>
  );
}
