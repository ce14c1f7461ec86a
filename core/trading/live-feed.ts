/**
 * Feeds strategy runners (and the paper broker) from the live market bus: trades and book events of
 * one venue/symbol are queued as the bus delivers them (synchronously, never dropped) and handled
 * one at a time, in arrival order: the runners on the symbol step at once (each strategy has its
 * own sub-ledger), and every step finishes before the trade is matched and the next one handled.
 * The venue clock (local clock + measured server offset) closes a quiet bar at its end plus the
 * grace. A gap (missed messages, a reconnect) is counted and logged by each runner; no bar is
 * invented: the next trade simply lands in its own bar.
 */
import type { MarketEvent, TradeEvent } from "../../common/market/events.ts";
import { ANY_SYMBOL, type MarketBus } from "../feeds/bus.ts";
import type { TradingEngine } from "./engine.ts";
import { LocalBook } from "./local-book.ts";
import type { SessionRunner } from "./session-runner.ts";

/** Options of {@link attachLiveFeed}. */
export interface LiveFeedOptions {
  bus: MarketBus;
  venue: string;
  symbol: string;
  /** The runners on this symbol now (each closes its bars before the trade is matched once). */
  runners: () => readonly SessionRunner[];
  /** Where trades and books go after the runners stepped (the paper order layer; the live one takes prices). */
  engine: Pick<TradingEngine, "onTrade" | "onBook">;
  /** The venue clock; default the local clock. Null: no clock closes (bars close on trades only). */
  venueNow?: (() => number) | null;
  clockEveryMs?: number;
}

/** A running attachment; `drained()` resolves once everything queued so far was processed. */
export interface LiveFeed {
  detach(): void;
  drained(): Promise<void>;
}

/** Subscribes the runner to the bus. */
export function attachLiveFeed(opts: LiveFeedOptions): LiveFeed {
  const { bus, venue, symbol, runners, engine } = opts;
  const book = new LocalBook();
  const queue: { e: MarketEvent; t: number }[] = [];
  // One serial chain: a bar's strategy step finishes before the next trade or clock tick is handled.
  let chain: Promise<void> = Promise.resolve();
  let scheduled = false;
  const enqueue = (work: () => Promise<void>): void => {
    chain = chain.then(work).catch(() => undefined);
  };
  const drain = async (): Promise<void> => {
    scheduled = false;
    while (queue.length > 0) {
      const { e, t } = queue.shift()!;
      if (e.type === "trade") {
        const trade = tradeOf(e, t);
        // Strategies are independent (one sub-ledger each): their steps run at once, on their workers' threads.
        await Promise.all(runners().map((r) => r.barOn(trade)));
        engine.onTrade(venue, symbol, trade);
      } else if (e.type === "gap") {
        for (const r of runners()) r.markGap(`expected sequence ${e.expected}, got ${e.got}`);
      } else if (e.type === "book_snapshot" || e.type === "book_update") {
        book.apply(e);
        const { bids, asks } = book.levels();
        engine.onBook(venue, symbol, bids, asks, e.ts);
      }
    }
  };
  const push = (e: MarketEvent): void => {
    queue.push({ e, t: Date.now() });
    if (!scheduled) {
      scheduled = true;
      enqueue(drain);
    }
  };
  const offSymbol = bus.onEvent(venue, symbol, push);
  // A gap of the whole connection carries no symbol.
  const offConnection = bus.onEvent(venue, ANY_SYMBOL, (e) => e.type === "gap" && e.symbol === null && push(e));
  const off = () => {
    offSymbol();
    offConnection();
  };
  const venueNow = opts.venueNow === undefined ? Date.now : opts.venueNow;
  const timer =
    venueNow === null
      ? null
      : setInterval(() => {
          if (scheduled) return;
          const now = venueNow();
          enqueue(async () => {
            await Promise.all(runners().map((r) => r.onClock(now)));
          });
        }, opts.clockEveryMs ?? 250);
  timer?.unref();
  return {
    detach: () => {
      off();
      if (timer) clearInterval(timer);
    },
    drained: async () => {
      let seen: Promise<void> | null = null;
      while (seen !== chain) {
        seen = chain;
        await chain;
      }
    },
  };
}

function tradeOf(e: TradeEvent, receiveTime: number) {
  return { ts: e.ts, price: Number(e.price), size: Number(e.size), receiveTime, priceText: e.price, sizeText: e.size };
}
