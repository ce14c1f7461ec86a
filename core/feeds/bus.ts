/**
 * The market bus: every feed publishes its normalized events, quotes and raw received items here,
 * and subscribers register per (feed, symbol) or per feed. Delivery is a synchronous call, so
 * subscribers that must never drop (the recorder, strategy workers) see every item in order; those
 * that may drop (UI streams) coalesce on their own side. A subscriber that throws is counted and
 * logged by the owner, never allowed to break the feed.
 */
import type { MarketEvent } from "../../common/market/events.ts";
import type { QuoteUpdate } from "../venues/types.ts";

/**
 * A raw item as received: a text frame or a REST response, in the recording format. A frame may
 * carry `bytes`, the UTF-8 bytes its text was decoded from, valid only during delivery (the
 * recorder escapes from them, faster than from the text); they are never part of a recording.
 */
export type RawItem = { t: number; frame: string; bytes?: Uint8Array | undefined } | { t: number; rest: { path: string; body: string } };

/** Receives normalized events of one feed. */
export type EventListener = (event: MarketEvent, feed: string) => void;
/** Receives quotes of one feed. */
export type QuoteListener = (quote: QuoteUpdate, feed: string) => void;
/** Receives raw items of one feed. */
export type RawListener = (item: RawItem, feed: string) => void;

/** Any symbol of a feed. */
export const ANY_SYMBOL = "*";

type Listeners<T> = Map<string, Map<string, Set<T>>>;

/** Adds `listener` under (feed, symbol); the returned function removes it (and empty entries). */
function add<T>(map: Listeners<T>, feed: string, symbol: string, listener: T): () => void {
  let bySymbol = map.get(feed);
  if (!bySymbol) map.set(feed, (bySymbol = new Map()));
  let set = bySymbol.get(symbol);
  if (!set) bySymbol.set(symbol, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size > 0 || bySymbol.get(symbol) !== set) return;
    bySymbol.delete(symbol);
    if (bySymbol.size === 0 && map.get(feed) === bySymbol) map.delete(feed);
  };
}

/** Fan-out of market data inside core. */
export class MarketBus {
  /** Listeners by feed, then symbol: no key string is built per published item. */
  private readonly events: Listeners<EventListener> = new Map();
  private readonly quotes: Listeners<QuoteListener> = new Map();
  private readonly raws: Listeners<RawListener> = new Map();
  /** Listener exceptions so far. */
  listenerErrors = 0;
  /** Called with each listener exception. */
  onListenerError: (err: unknown) => void = () => undefined;

  /** Events of `feed` for `symbol` (or {@link ANY_SYMBOL}, which also gets symbol-less events). */
  onEvent(feed: string, symbol: string, listener: EventListener): () => void {
    return add(this.events, feed, symbol, listener);
  }

  /** Quotes of `feed` for `symbol` (or {@link ANY_SYMBOL}). */
  onQuote(feed: string, symbol: string, listener: QuoteListener): () => void {
    return add(this.quotes, feed, symbol, listener);
  }

  /** Raw received items of `feed`. */
  onRaw(feed: string, listener: RawListener): () => void {
    return add(this.raws, feed, ANY_SYMBOL, listener);
  }

  /** Whether anyone records `feed` (so feeds skip building raw items otherwise). */
  hasRaw(feed: string): boolean {
    return this.raws.has(feed);
  }

  /** Publishes an event of `feed`. */
  publish(feed: string, event: MarketEvent): void {
    const bySymbol = this.events.get(feed);
    if (!bySymbol) return;
    const symbol = "symbol" in event ? event.symbol : null;
    if (symbol !== null) this.deliver(bySymbol.get(symbol), event, feed);
    this.deliver(bySymbol.get(ANY_SYMBOL), event, feed);
  }

  /** Publishes a quote of `feed`. */
  publishQuote(feed: string, quote: QuoteUpdate): void {
    const bySymbol = this.quotes.get(feed);
    if (!bySymbol) return;
    this.deliver(bySymbol.get(quote.symbol), quote, feed);
    this.deliver(bySymbol.get(ANY_SYMBOL), quote, feed);
  }

  /** Publishes a raw item of `feed`. */
  publishRaw(feed: string, item: RawItem): void {
    this.deliver(this.raws.get(feed)?.get(ANY_SYMBOL), item, feed);
  }

  private deliver<T>(set: Set<(item: T, feed: string) => void> | undefined, item: T, feed: string): void {
    if (!set) return;
    for (const listener of set) {
      try {
        listener(item, feed);
      } catch (err) {
        this.listenerErrors++;
        this.onListenerError(err);
      }
    }
  }
}
