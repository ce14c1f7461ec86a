/**
 * Order book (top 20 per side, depth bars, spread) and the trades tape of the chart's symbol.
 * Feed updates go through paced frame coalescers: however many messages arrive, the panel renders
 * at most ten times a second (on an animation frame). A gap or checksum mismatch shows a "resyncing" state until the
 * feed has a valid book again. The book and the tape share the panel's height (each side of the book
 * keeps its best levels next to the spread) and render only the rows they can show.
 */
import { memo, useEffect, useMemo, useState } from "react";
import { formatPercent, formatPrice } from "../lib/format.ts";
import { useRowsThatFit } from "../lib/fit.ts";
import { Batch, Latest, textPanelScheduler } from "../lib/frame.ts";
import { formatClock } from "../lib/time.ts";
import { Empty, Panel } from "../panels/Placeholder.tsx";
import { useChart } from "../stores/chart.ts";
import { useTimeZone } from "../stores/settings.ts";
import { subscribeBook } from "./live.ts";
import { StickyResync, appendTape, bookDisplay, type BookDisplay, type BookRow, type BookView, type TapeTrade } from "./model.ts";

/** Trades kept on the tape. */
const TAPE_ROWS = 60;
/** Levels per side of the book. */
const BOOK_LEVELS = 20;
/** Height of a book or tape row (px), as in the stylesheet. */
const ROW_PX = 18;

const EMPTY_VIEW: BookView = { bids: [], asks: [], state: "waiting", ts: 0 };

const Level = memo(function Level({ row, side }: { row: BookRow; side: "bid" | "ask" }): React.JSX.Element {
  return (
    <div className={`book-row ${side}`}>
      <span className="depth" style={{ transform: `scaleX(${row.depth.toFixed(3)})` }} />
      <span className="price">{row.price}</span>
      <span className="size">{row.size}</span>
    </div>
  );
}, (a, b) => a.side === b.side && a.row.price === b.row.price && a.row.size === b.row.size && Math.abs(a.row.depth - b.row.depth) < 0.005);

function Book({ d }: { d: BookDisplay }): React.JSX.Element {
  const [sideRef, fit] = useRowsThatFit(ROW_PX, BOOK_LEVELS);
  return (
    <div className="book" data-testid="order-book" data-state={d.state}>
      {d.state === "resyncing" ? <div className="book-resync" role="status" data-testid="book-resyncing">Resyncing — the feed reported a gap; waiting for a fresh snapshot…</div> : null}
      <div className="book-head"><span>Price</span><span>Size</span></div>
      <div className="book-side asks" ref={sideRef}>{d.asks.slice(Math.max(0, d.asks.length - fit)).map((r) => <Level key={r.price} row={r} side="ask" />)}</div>
      <div className="book-spread" data-testid="book-spread">
        Spread {d.spread === null ? "—" : formatPrice(d.spread)} <small>{formatPercent(d.spreadFraction, false)}</small>
      </div>
      <div className="book-side bids">{d.bids.slice(0, fit).map((r) => <Level key={r.price} row={r} side="bid" />)}</div>
    </div>
  );
}

/** One trade of the tape; a trade never changes, so a row renders once. */
const TapeRow = memo(function TapeRow({ t, timeZone }: { t: TapeTrade; timeZone: string }): React.JSX.Element {
  return (
    <div className={`tape-row ${t.side === "buy" ? "up" : "down"}`}>
      <span>{t.price}</span>
      <span>{t.size}</span>
      <span className="muted">{formatClock(t.ts, timeZone)}</span>
    </div>
  );
});

function Tape({ trades, timeZone }: { trades: TapeTrade[]; timeZone: string }): React.JSX.Element {
  const [ref, fit] = useRowsThatFit(ROW_PX, TAPE_ROWS);
  return (
    <div className="tape" data-testid="trades-tape" ref={ref}>
      {trades.slice(0, fit).map((t) => <TapeRow key={t.id} t={t} timeZone={timeZone} />)}
    </div>
  );
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
          <Book d={display} />
          <h3 className="sub-title">Trades</h3>
          <Tape trades={tape} timeZone={timeZone} />
        </div>
      )}
    </Panel>
  );
}
