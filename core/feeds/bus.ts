/**
 * The market bus: every feed publishes its normalized events, quotes and raw received items here,
 * and subscribers register per (feed, symbol) or per feed. Delivery is a synchronous call, so
 * subscribers that must never drop (the recorder, strategy workers) see every item in order; those
 * that may drop (UI streams) coalesce on their own side. A subscriber that throws is counted and
 * logged by the owner, never allowed to break the feed.
 */
import type { MarketEvent } from "../../common/market/events.ts";
import type { QuoteUpdate } from "../venues/types.ts";

/** A raw item as received: a text frame or a REST response, in the recording format. */
export type RawItem = { t: number; frame: string } | { t: number; rest: { path: string; body: string } };

/** Receives normalized events of one feed. */
export type EventListener = (event: MarketEvent, feed: string) => void;
/** Receives quotes of one feed. */
export type QuoteListener = (quote: QuoteUpdate, feed: string) => void;
/** Receives raw items of one feed. */
export type RawListener = (item: RawItem, feed: string) => void;

/** Any symbol of a feed. */
export const ANY_SYMBOL = "*";

function key(feed: string, symbol: string): string {
  return `${feed}\u0000${symbol}`;
}

function add<T>(map: Map<string, Set<T>>, k: string, listener: T): () => void {
  let set = map.get(k);
  if (!set) map.set(k, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) map.delete(k);
  };
}

/** Fan-out of market data inside core. */
export class MarketBus {
  private readonly events = new Map<string, Set<EventListener>>();
  private readonly quotes = new Map<string, Set<QuoteListener>>();
  private readonly raws = new Map<string, Set<RawListener>>();
  /** Listener exceptions so far. */
  listenerErrors = 0;
  /** Called with each listener exception. */
  onListenerError: (err: unknown) => void = () => undefined;

  /** Events of `feed` for `symbol` (or {@link ANY_SYMBOL}, which also gets symbol-less events). */
  onEvent(feed: string, symbol: string, listener: EventListener): () => void {
    return add(this.events, key(feed, symbol), listener);
  }

  /** Quotes of `feed` for `symbol` (or {@link ANY_SYMBOL}). */
  onQuote(feed: string, symbol: string, listener: QuoteListener): () => void {
    return add(this.quotes, key(feed, symbol), listener);
  }

  /** Raw received items of `feed`. */
  onRaw(feed: string, listener: RawListener): () => void {
    return add(this.raws, feed, listener);
  }

  /** Whether anyone records `feed` (so feeds skip building raw items otherwise). */
  hasRaw(feed: string): boolean {
    return this.raws.has(feed);
  }

  /** Publishes an event of `feed`. */
  publish(feed: string, event: MarketEvent): void {
    const symbol = "symbol" in event ? event.symbol : null;
    if (symbol !== null) this.deliver(this.events.get(key(feed, symbol)), event, feed);
    this.deliver(this.events.get(key(feed, ANY_SYMBOL)), event, feed);
  }

  /** Publishes a quote of `feed`. */
  publishQuote(feed: string, quote: QuoteUpdate): void {
    this.deliver(this.quotes.get(key(feed, quote.symbol)), quote, feed);
    this.deliver(this.quotes.get(key(feed, ANY_SYMBOL)), quote, feed);
  }

  /** Publishes a raw item of `feed`. */
  publishRaw(feed: string, item: RawItem): void {
    this.deliver(this.raws.get(feed), item, feed);
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
