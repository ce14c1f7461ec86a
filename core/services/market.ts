/**
 * Handlers of the `market.*` API entries over the {@link FeedManager}: UI streams subscribe the
 * venue while they are open and are coalesced per animation frame (trades batched, book top and
 * ticker latest-only), so a slow window never slows a feed; drops are counted into feed status.
 */
import { LIVE_BARS_INTERVAL_MS, type BookTop, type LiveBarsBatch, type Ticker, type TradeBatch } from "../../common/api/market.ts";
import { ApiError } from "../../common/api/index.ts";
import type { MarketEvent, TradeEvent } from "../../common/market/events.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import { ANY_SYMBOL } from "../feeds/bus.ts";
import { systemClock } from "../feeds/clock.ts";
import type { FeedManager } from "../feeds/manager.ts";
import { RestFormatError } from "../feeds/rest.ts";
import { BarCoalescer, LatestCoalescer, TradeCoalescer } from "../feeds/ui-stream.ts";

type MarketNames = "market.feeds" | "market.status" | "market.instruments" | "market.candles" | "market.trades" | "market.bars" | "market.book" | "market.ticker";

const BOOK_EVENTS = new Set<MarketEvent["type"]>(["book_snapshot", "book_update", "checksum_mismatch", "gap", "error"]);

/** REST failures become "unavailable" API errors with the venue's reason. */
async function viaRest<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const reason = err instanceof RestFormatError ? `unexpected answer: ${err.message}` : (err as Error).message;
    throw new ApiError("unavailable", `${what}: ${reason}`);
  }
}

/** Adds UI updates a stream dropped to its feed's counter. */
function countUiDrops(manager: FeedManager, feed: string, dropped: number): void {
  const running = manager.running(feed);
  if (running && dropped > 0) running.uiDrops += dropped;
}

/** Builds the market part of the handler map. */
export function marketHandlers(manager: FeedManager): PartialHandlers<MarketNames> {
  const clock = systemClock;
  return {
    "market.feeds": () => ({ feeds: manager.feeds(), defaultFeed: manager.defaultFeed() }),
    "market.status": (params, sink) => {
      sink.emit(manager.status());
      const timer = setInterval(() => sink.emit(manager.status()), params.intervalMs);
      return () => clearInterval(timer);
    },
    "market.instruments": (params) => viaRest(`instruments of ${params.feed}`, () => manager.instruments(params.feed)),
    "market.candles": (params) => {
      const to = params.to ?? Date.now();
      const from = params.from ?? to - params.limit * 60_000;
      return viaRest(`candles of ${params.symbol} on ${params.feed}`, () => manager.candles(params.feed, params.symbol, from, to, params.limit));
    },
    "market.trades": ({ feed, symbol, newest }, sink) => {
      const release = manager.acquire(feed, symbol);
      const ui = new TradeCoalescer<TradeEvent>({
        ready: () => !sink.congested(),
        clock,
        newest,
        deliver: ({ items, dropped, skipped }) => {
          countUiDrops(manager, feed, dropped);
          sink.emit({ feed, symbol, trades: items, dropped, skipped } satisfies TradeBatch);
        },
      });
      const off = manager.bus.onEvent(feed, symbol, (e) => e.type === "trade" && ui.push(e));
      return () => {
        off();
        ui.close();
        release();
      };
    },
    "market.bars": ({ feed, symbol, timeframe }, sink) => {
      const release = manager.acquire(feed, symbol);
      const ui = new BarCoalescer({
        period: timeframe,
        frameMs: LIVE_BARS_INTERVAL_MS,
        ready: () => !sink.congested(),
        clock,
        deliver: ({ bars, dropped }) => {
          countUiDrops(manager, feed, dropped);
          sink.emit({ feed, symbol, timeframe, bars, dropped } satisfies LiveBarsBatch);
        },
      });
      const off = manager.bus.onEvent(feed, symbol, (e) => e.type === "trade" && ui.push(e.ts, Number(e.price), Number(e.size)));
      return () => {
        off();
        ui.close();
        release();
      };
    },
    "market.book": ({ feed, symbol, depth }, sink) => {
      const release = manager.acquire(feed, symbol);
      const read = (): BookTop => {
        const handler = manager.running(feed)?.handlerOf(symbol) ?? null;
        const view = handler?.bookView(symbol, depth) ?? null;
        return view ? { feed, symbol, status: "synced", ...view, ts: Date.now() } : { feed, symbol, status: "resyncing", bids: [], asks: [], ts: Date.now() };
      };
      let last: BookTop["status"] | null = null;
      const ui = new LatestCoalescer<BookTop>({
        ready: () => !sink.congested(),
        clock,
        deliver: (top) => {
          last = top.status;
          sink.emit(top);
        },
      });
      const onEvent = (e: MarketEvent) => BOOK_EVENTS.has(e.type) && ui.mark(read);
      const offSymbol = manager.bus.onEvent(feed, symbol, onEvent);
      const offAny = manager.bus.onEvent(feed, ANY_SYMBOL, (e) => !("symbol" in e) || e.symbol === null ? onEvent(e) : undefined);
      const poll = setInterval(() => {
        const status = manager.running(feed)?.handlerOf(symbol)?.bookStatus(symbol) ?? "resyncing";
        if (status !== last) ui.mark(read);
      }, 250);
      ui.mark(read);
      return () => {
        clearInterval(poll);
        offSymbol();
        offAny();
        ui.close();
        release();
      };
    },
    "market.ticker": ({ feed, symbol }, sink) => {
      const release = manager.acquire(feed, symbol);
      const ui = new LatestCoalescer<Ticker>({ ready: () => !sink.congested(), clock, deliver: (t) => sink.emit(t) });
      const off = manager.bus.onQuote(feed, symbol, (q) => ui.mark(() => ({ feed, symbol, bid: q.bid, ask: q.ask, last: q.last, ts: q.ts })));
      return () => {
        off();
        ui.close();
        release();
      };
    },
  };
}
