/**
 * A further chart of the grid (charts 1..3): candles, volume and the symbol's drawings, on its
 * own controller and feed. Its symbol and timeframe follow the main chart where linked; unlinked,
 * the pickers in its title bar set them. Indicators, the tools row and the run form stay with the
 * main chart.
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
import { ChartController } from "./controller.ts";
import { ChartFeed, type FeedStatus } from "./feed.ts";

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

/** Grid chart `index` (1..3). */
export function MiniChart({ index }: { index: number }): React.JSX.Element {
  const container = useRef<HTMLDivElement | null>(null);
  const [engine, setEngine] = useState<{ ctrl: ChartController; feed: ChartFeed } | null>(null);
  const [status, setStatus] = useState<FeedStatus>({ kind: "idle" });
  const grid = useGrid();
  const main = { instrument: useChart((s) => s.instrument), timeframe: useChart((s) => s.timeframe) };
  const { instrument, timeframe } = cellShows(index, grid, main);
  const drawings = useInstrumentDrawings(instrument);
  const theme = useTheme((s) => s.theme);
  const timeZone = useTimeZone();
  useEffect(() => {
    if (!container.current) return;
    const ctrl = new ChartController(container.current, themeColors(), { onNeedHistory: () => void feed.loadOlder(), onLegend: () => undefined });
    const feed = new ChartFeed(ctrl, setStatus);
    setEngine({ ctrl, feed });
    return () => {
      feed.dispose();
      ctrl.dispose();
    };
  }, []);
  const key = instrument ? `${instrument.venue}:${instrument.symbol}` : "";
  useEffect(() => void engine?.feed.open(instrument, timeframe), [engine, key, timeframe]);
  useEffect(() => void (instrument && useDrawings.getState().load(instrument)), [key]);
  useEffect(() => engine?.ctrl.drawings.setDrawings(drawings), [engine, drawings]);
  useEffect(() => engine?.ctrl.setColors(themeColors()), [engine, theme]);
  useEffect(() => engine?.ctrl.setTimeZone(timeZone, isDateOnly(timeframe)), [engine, timeZone, timeframe]);
  const title = instrument ? `${instrument.symbol} · ${timeframe}` : "Chart";
  return (
    <Panel title={title} area={`chart-${index}`} fill actions={<CellPickers index={index} />}>
      <div className="chart-wrap" data-testid={`chart-${index}`} data-status={status.kind} data-symbol={instrument?.symbol ?? ""} data-timeframe={timeframe} data-drawings={drawings.length}>
        <div className="chart-canvas" ref={container} />
      </div>
    </Panel>
  );
}
