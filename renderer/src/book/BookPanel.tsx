/**
 * Order book (top 20 per side, depth bars, spread) and the trades tape of the chart's symbol, every
 * price (and the spread) with the series' decimals: the most any shown price needs, so rows line up.
 * Feed updates go through paced frame coalescers: however many messages arrive, the panel renders
 * at most ten times a second (on the shared live tick). A gap or checksum mismatch shows a "resyncing" state until
 * the feed has a valid book again. The book and the tape share the panel's height (each side of the book
 * keeps its best levels next to the spread); their rows are painted on canvases (`rows-paint.ts`), only as
 * many as the box can show.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { formatPercent, formatPrice } from "../lib/format.ts";
import { Batch, Latest, textPanelScheduler } from "../lib/frame.ts";
import { cachedClock } from "../lib/time.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { useChart } from "../stores/chart.ts";
import { useTimeZone } from "../stores/settings.ts";
import { useThemeColors } from "../stores/theme.ts";
import { subscribeBook } from "./live.ts";
import { StickyResync, appendTape, bookDisplay, seriesPriceDecimals, type BookDisplay, type BookRow, type BookView, type TapeTrade } from "./model.ts";
import { RowsCanvas } from "./RowsCanvas.tsx";
import { paintBookSide, paintTape, type PaintBox, type PaintContext } from "./rows-paint.ts";

/** Trades kept on the tape. */
const TAPE_ROWS = 60;
/** Levels per side of the book. */
const BOOK_LEVELS = 20;

const EMPTY_VIEW: BookView = { bids: [], asks: [], state: "waiting", ts: 0 };

function BookSide({ rows, side, resyncing, decimals }: { rows: BookRow[]; side: "bid" | "ask"; resyncing: boolean; decimals: number }): React.JSX.Element {
  const colors = useThemeColors();
  const paint = useCallback((g: PaintContext, box: PaintBox) => paintBookSide(g, box, rows, side, colors, resyncing, decimals), [rows, side, colors, resyncing, decimals]);
  const best = rows[0];
  const name = side === "bid" ? "Bids" : "Asks";
  return <RowsCanvas paint={paint} className={`book-side ${side}s`} testId={`book-${side}s`} label={best ? `${name}: ${rows.length} levels, best ${best.price} × ${best.size}` : `${name}: none`} />;
}

function Book({ d, decimals }: { d: BookDisplay; decimals: number }): React.JSX.Element {
  // The display lists asks worst first (for reading top-down); painted bottom-up they go best first.
  const asks = useMemo(() => d.asks.slice().reverse(), [d.asks]);
  return (
    <div className="book" data-testid="order-book" data-state={d.state}>
      {d.state === "resyncing" ? <div className="book-resync" role="status" data-testid="book-resyncing">Resyncing — the feed reported a gap; waiting for a fresh snapshot…</div> : null}
      <div className="book-head"><span>Price</span><span>Size</span></div>
      <BookSide rows={asks} side="ask" resyncing={d.state === "resyncing"} decimals={decimals} />
      <div className="book-spread" data-testid="book-spread">
        Spread {d.spread === null ? "—" : formatPrice(d.spread, decimals)} <small>{formatPercent(d.spreadFraction, false)}</small>
      </div>
      <BookSide rows={d.bids} side="bid" resyncing={d.state === "resyncing"} decimals={decimals} />
    </div>
  );
}

function Tape({ trades, timeZone, decimals }: { trades: TapeTrade[]; timeZone: string; decimals: number }): React.JSX.Element {
  const colors = useThemeColors();
  const clock = useMemo(() => cachedClock(timeZone), [timeZone]);
  const paint = useCallback((g: PaintContext, box: PaintBox) => paintTape(g, box, trades, clock, colors, decimals), [trades, clock, colors, decimals]);
  const last = trades[0];
  return <RowsCanvas paint={paint} className="tape" testId="trades-tape" label={last ? `Trades: last ${last.side} ${last.size} at ${last.price}` : "Trades: none yet"} />;
}

/** The order book and trades panel. */
export function BookPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const instrument = useChart((s) => s.instrument);
  const timeZone = useTimeZone();
  const [view, setView] = useState<BookView>(EMPTY_VIEW);
  const [tape, setTape] = useState<TapeTrade[]>([]);
  const [unavailable, setUnavailable] = useState<string | null>(null);
  useEffect(() => {
    setView(EMPTY_VIEW);
    setTape([]);
    setUnavailable(null);
    if (!instrument) return;
    const sticky = new StickyResync();
    const book = new Latest<BookView>((v) => setView((prev) => sticky.apply(prev, v, performance.now())), textPanelScheduler());
    const trades = new Batch<TapeTrade>((batch) => setTape((t) => appendTape(t, batch, TAPE_ROWS)), TAPE_ROWS, textPanelScheduler());
    const unsubscribe = subscribeBook(instrument, { onBook: (v) => book.push(v), onTrades: (list) => trades.push(...list), onUnavailable: setUnavailable }, TAPE_ROWS);
    return () => {
      unsubscribe();
      book.dispose();
      trades.dispose();
    };
  }, [instrument]);
  const display = useMemo(() => bookDisplay(view, BOOK_LEVELS), [view]);
  const decimals = useMemo(() => seriesPriceDecimals([...display.bids, ...display.asks, ...tape].map((r) => r.price)), [display, tape]);
  const title = instrument ? `Order book · ${instrument.symbol}` : "Order book · Trades";
  const empty = !instrument ? (
    <Empty>Open a symbol to see its book and trades.</Empty>
  ) : unavailable ? (
    <Empty testId="book-unavailable">No live book: {unavailable}</Empty>
  ) : view.state === "waiting" && view.bids.length === 0 ? (
    <Empty testId="book-waiting">Waiting for the live book of {instrument.symbol} on {instrument.venue}…</Empty>
  ) : null;
  return (
    <Panel title={title} area="book" style={style} fill={empty === null}>
      {empty ?? (
        <div className="book-tape">
          <Book d={display} decimals={decimals} />
          <h3 className="sub-title">Trades</h3>
          <Tape trades={tape} timeZone={timeZone} decimals={decimals} />
        </div>
      )}
    </Panel>
  );
}
