/**
 * The `market.*` part of the API map: which feeds exist and how healthy they are, live trades,
 * books and quotes for the UI (coalesced per animation frame; a slow window loses only UI updates,
 * counted), instruments, and recent candles from the venues' REST klines.
 */
import { z } from "zod";
import { TIMEFRAMES, type Timeframe } from "../market/bars.ts";
import type { Level, TradeEvent, VenueId } from "../market/events.ts";
import type { LiveBar } from "./store.ts";
import { method, stream } from "./define.ts";

/** Connection state of a feed (the worst of its connections). */
export type FeedState = "idle" | "connecting" | "connected" | "reconnecting" | "stopped";

/** Health of one feed, as the status bar shows it. */
export interface FeedStatus {
  /** Feed id: a venue name, or "simulated" for the offline simulator. */
  feed: string;
  /** The protocol the feed speaks. */
  venue: VenueId;
  state: FeedState;
  connections: number;
  symbols: string[];
  /** Per symbol: a book is served only while "synced". */
  books: Record<string, "synced" | "resyncing">;
  /** Frames per second over the last sampling interval. */
  msgsPerSec: number;
  messages: number;
  trades: number;
  gaps: number;
  checksumMismatches: number;
  malformed: number;
  reconnects: number;
  silences: number;
  /** UI updates dropped for slow windows; workers and the recorder never drop. */
  drops: { ui: number };
  /** Strategy-worker or recorder backlog above its alarm threshold. */
  backpressure: boolean;
  /** Milliseconds since the last frame, null before the first. */
  lastMessageAgeMs: number | null;
  lastError: string | null;
}

/** A feed core can serve. */
export interface FeedInfo {
  feed: string;
  venue: VenueId;
  /** True for the local simulator. */
  simulated: boolean;
  /** Symbols it offers by default (instrument list may hold more). */
  symbols: string[];
}

/** Instrument metadata from a venue's REST endpoint; decimals are exact strings. */
export interface Instrument {
  symbol: string;
  venueSymbol: string;
  base: string;
  quote: string;
  tickSize: string;
  lotSize: string;
  pricePrecision: number;
  sizePrecision: number;
  status: "trading" | "halted";
  /** Smallest order value (size × price, quote asset) the venue takes, when it states one. */
  minNotional?: string;
}

/** A candle; prices and volume are exact decimal strings, `t` its open time (UTC ms). */
export interface Candle {
  t: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/** A batch of trades for one symbol (one animation frame's worth). */
export interface TradeBatch {
  feed: string;
  symbol: string;
  trades: TradeEvent[];
  /** Trades this stream dropped since its previous batch (slow consumer). */
  dropped: number;
  /** Older trades of this batch left out because the subscriber asked for the `newest` only. */
  skipped: number;
}

/** Live bars of one instrument and timeframe, built by core from the feed's trades since the subscription began. */
export interface LiveBarsBatch {
  feed: string;
  symbol: string;
  timeframe: Timeframe;
  /** The bars changed since the previous batch, oldest first; the last is the forming bar. */
  bars: LiveBar[];
  /** Closed bars this stream dropped since its previous batch (a window that stayed congested). */
  dropped: number;
}

/** Core sends live bars at most this often (ms): 20 updates a second is smooth for a forming candle. */
export const LIVE_BARS_INTERVAL_MS = 50;

/** The top of a book, or its resyncing state (no levels are served then). */
export interface BookTop {
  feed: string;
  symbol: string;
  status: "synced" | "resyncing";
  bids: Level[];
  asks: Level[];
  ts: number;
}

/** Best bid/ask and last price. */
export interface Ticker {
  feed: string;
  symbol: string;
  bid: Level | null;
  ask: Level | null;
  last: string | null;
  ts: number;
}

/** Where a venue stands, as the status bar and `workstation venues` show it. */
export type VenueState = "disabled" | FeedState;

/** One venue environment core knows (enabled or not), with its health. */
export interface VenueView {
  /** Feed id: `kraken`, `binance-us`, `simulated`. */
  feed: string;
  venue: VenueId | "simulated";
  /** `null` for the main endpoints. */
  variant: "us" | "data" | null;
  name: string;
  ws: string | null;
  rest: string | null;
  enabled: boolean;
  source: "built-in" | "feeds.json" | "env";
  state: VenueState;
  /** Milliseconds since the last frame, null before the first. */
  lastMessageAgeMs: number | null;
  reconnects: number;
  /** The last failure in trader words ("cannot reach ws.kraken.com: DNS lookup failed"), null when none. */
  lastError: string | null;
  /** Venue server time minus local time (ms), measured when the venue was enabled; null until known. */
  clockOffsetMs: number | null;
}

/** A local clock further than this from a venue's server time is flagged. */
export const CLOCK_WARN_MS = 1000;

/** One instrument a symbol search found on an enabled venue. */
export interface InstrumentHit {
  feed: string;
  venue: VenueId;
  symbol: string;
  status: "trading" | "halted";
  tickSize: string;
  lotSize: string;
}

const feedParam = z.string().min(1).max(32);
/** Every venue a switch may name (a venue missing here does not compile). */
const SWITCHABLE: Record<VenueId | "simulated", true> = { kraken: true, coinbase: true, binance: true, simulated: true };
const symbolParam = z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, "symbol must be BASE/QUOTE in capitals");

/** Requests and streams of live market data. */
export const marketApi = {
  "market.feeds": method(z.object({})).returns<{ feeds: FeedInfo[]; defaultFeed: string }>(),
  "market.status": stream(z.object({ intervalMs: z.number().int().min(100).max(60_000).default(1000) }), "latest").emits<FeedStatus[]>(),
  "market.instruments": method(z.object({ feed: feedParam })).returns<Instrument[]>(),
  "market.venues": method(z.object({})).returns<VenueView[]>(),
  "market.venues.set": method(
    z.object({ venue: z.enum(Object.keys(SWITCHABLE) as [VenueId | "simulated", ...(VenueId | "simulated")[]]), variant: z.enum(["us", "data"]).nullable().default(null), enabled: z.boolean() }),
  ).returns<VenueView[]>(),
  "market.venues.watch": stream(z.object({ intervalMs: z.number().int().min(100).max(60_000).default(1000) }), "latest").emits<VenueView[]>(),
  "market.instruments.search": method(z.object({ query: z.string().max(64), limit: z.number().int().min(1).max(500).default(50) })).returns<InstrumentHit[]>(),
  "market.candles": method(
    z.object({ feed: feedParam, symbol: symbolParam, from: z.number().int().optional(), to: z.number().int().optional(), limit: z.number().int().min(1).max(1000).default(300) }),
  ).returns<Candle[]>(),
  "market.trades": stream(
    z.object({ feed: feedParam, symbol: symbolParam, newest: z.number().int().min(1).max(1000).optional() }),
    "batch",
  ).emits<TradeBatch>(),
  "market.bars": stream(
    z.object({ feed: feedParam, symbol: symbolParam, timeframe: z.enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]]) }),
    "batch",
  ).emits<LiveBarsBatch>(),
  "market.book": stream(z.object({ feed: feedParam, symbol: symbolParam, depth: z.number().int().min(1).max(100).default(20) }), "latest").emits<BookTop>(),
  "market.ticker": stream(z.object({ feed: feedParam, symbol: symbolParam }), "latest").emits<Ticker>(),
};
