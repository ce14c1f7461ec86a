/**
 * Core's market-data hub: the configured venue feeds plus the "simulated" feed (an in-process
 * simulator speaking Kraken's protocol on loopback, started on first use), one shared bus, symbol
 * subscriptions counted per (feed, symbol) so a venue is subscribed while anyone watches, cached
 * instruments (refreshed daily), klines on demand, and holes left by reconnects refilled from REST.
 * Nothing here touches the network at construction: feeds connect on first subscription, and the
 * reachability probe runs in the background only for venues the user configured.
 */
import type { Candle, FeedInfo, FeedStatus, Instrument } from "../../common/api/market.ts";
import { ApiError } from "../../common/api/index.ts";
import { AFTER_RECONNECT } from "../../common/market/trade-record.ts";
import type { VenueId } from "../../common/market/events.ts";
import type { Logger } from "../log.ts";
import { Simulator } from "../simulator/server.ts";
import { MarketBus } from "./bus.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { FeedsConfig, VenueConfig } from "./config.ts";
import { defaultRestFetch, VenueFeed, type RestFetch, type VenueEndpoints } from "./feed.ts";
import { InstrumentRegistry } from "./instruments-registry.ts";
import { WorkerTradeChannel, type FrameSender } from "./worker-channel.ts";
import { PROTOCOLS } from "./protocols.ts";
import { instrumentsPath, klinesPath, parseInstruments, parseKlines } from "./rest.ts";

/** The offline feed's id. */
export const SIMULATED_FEED = "simulated";
const SIMULATED_SYMBOLS = ["BTC/USD", "ETH/USD", "SOL/USD"];
/** Symbols offered first for a configured venue that lists none. */
const DEFAULT_SYMBOLS: Readonly<Record<VenueId, string[]>> = { kraken: ["BTC/USD", "ETH/USD"], coinbase: ["BTC/USD", "ETH/USD"], binance: ["BTC/USDT", "ETH/USDT"] };
const DAY_MS = 86_400_000;

/** Options of {@link FeedManager}. */
export interface FeedManagerOptions {
  config: FeedsConfig;
  log: Logger;
  clock?: Clock;
  fetch?: RestFetch;
  /** Candles fetched to fill a reconnect hole (for the store). */
  onCandles?: (feed: string, symbol: string, candles: Candle[]) => void;
}

interface FeedEntry {
  info: FeedInfo;
  feed: VenueFeed | null;
  endpoints: Promise<VenueEndpoints> | null;
  instruments: { at: number; list: Instrument[] } | null;
  refresh: ReturnType<Clock["setTimeout"]> | null;
}

/** Owns every feed of a core. */
export class FeedManager {
  readonly bus = new MarketBus();
  readonly registry = new InstrumentRegistry();
  private readonly entries = new Map<string, FeedEntry>();
  private readonly refs = new Map<string, number>();
  /** Reconnects seen per `feed|symbol`, so worker records can flag the first trade after one. */
  private readonly reconnects = new Map<string, number>();
  private readonly options: FeedManagerOptions;
  private readonly clock: Clock;
  private simulator: Promise<Simulator> | null = null;
  private defaultId: string;
  private stopped = false;

  constructor(options: FeedManagerOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    for (const [venue, config] of Object.entries(options.config.venues) as [VenueId, VenueConfig][]) {
      const info: FeedInfo = { feed: venue, venue, simulated: false, symbols: config.symbols ?? DEFAULT_SYMBOLS[venue] };
      this.entries.set(venue, { info, feed: null, endpoints: Promise.resolve({ ws: config.ws, rest: config.rest }), instruments: null, refresh: null });
    }
    if (options.config.simulated) {
      this.entries.set(SIMULATED_FEED, { info: { feed: SIMULATED_FEED, venue: "kraken", simulated: true, symbols: SIMULATED_SYMBOLS }, feed: null, endpoints: null, instruments: null, refresh: null });
    }
    this.defaultId = options.config.simulated ? SIMULATED_FEED : ([...this.entries.keys()][0] ?? SIMULATED_FEED);
    this.bus.onListenerError = (err) => options.log.error({ err }, "market subscriber failed");
  }

  /** Feeds core can serve. */
  feeds(): FeedInfo[] {
    return [...this.entries.values()].map((e) => e.info);
  }

  /** The feed a new window opens: the first reachable configured venue, else the simulator. */
  defaultFeed(): string {
    return this.defaultId;
  }

  /**
   * Checks in the background whether configured venues answer; the first that does becomes the
   * default feed. Never throws; does nothing when only the simulator is configured.
   */
  probe(timeoutMs = 5000): void {
    for (const [id, entry] of this.entries) {
      if (entry.info.simulated) continue;
      const signal = AbortSignal.timeout(timeoutMs);
      void this.restGet(id, instrumentsPath(entry.info.venue), signal).then(
        () => {
          if (this.defaultId === SIMULATED_FEED || !this.entries.has(this.defaultId)) this.defaultId = id;
        },
        (err: Error) => this.options.log.info({ feed: id, err: err.message }, "venue not reachable; the simulated feed stays the default"),
      );
    }
  }

  /** Subscribes (feed, symbol) until the returned function is called. */
  acquire(feedId: string, symbol: string): () => void {
    const entry = this.entry(feedId);
    const key = `${feedId}|${symbol}`;
    const n = (this.refs.get(key) ?? 0) + 1;
    this.refs.set(key, n);
    const add = (f: VenueFeed | null) => (this.refs.get(key) ?? 0) > 0 && f?.add(symbol);
    if (n === 1) void this.feedOf(feedId, entry).then(add, (err: Error) => this.options.log.error({ feed: feedId, err: err.message }, "feed failed to start"));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.refs.get(key) ?? 1) - 1;
      if (left > 0) return void this.refs.set(key, left);
      this.refs.delete(key);
      entry.feed?.remove(symbol);
    };
  }

  /** The running feed of `feedId`, or null before its first subscription. */
  running(feedId: string): VenueFeed | null {
    return this.entries.get(feedId)?.feed ?? null;
  }

  /** Status of every feed that has started. */
  status(): FeedStatus[] {
    return [...this.entries.values()].flatMap((e) => (e.feed ? [e.feed.status()] : []));
  }

  /** The instruments of a feed, from its REST endpoint, cached for a day. */
  async instruments(feedId: string): Promise<Instrument[]> {
    const entry = this.entry(feedId);
    if (entry.instruments && this.clock.now() - entry.instruments.at < DAY_MS) return entry.instruments.list;
    const list = parseInstruments(entry.info.venue, await this.restGet(feedId, instrumentsPath(entry.info.venue), AbortSignal.timeout(15_000)));
    entry.instruments = { at: this.clock.now(), list };
    for (const i of list) this.registry.setScales(feedId, i.symbol, i.pricePrecision, i.sizePrecision);
    this.scheduleRefresh(feedId, entry);
    return list;
  }

  /** Refreshes a feed's instruments once a day after they were first loaded (failures are retried next day). */
  private scheduleRefresh(feedId: string, entry: FeedEntry): void {
    if (entry.refresh || this.stopped) return;
    entry.refresh = this.clock.setTimeout(() => {
      entry.refresh = null;
      entry.instruments = null;
      this.instruments(feedId).catch((err: Error) => {
        this.options.log.warn({ feed: feedId, err: err.message }, "daily instrument refresh failed");
        this.scheduleRefresh(feedId, entry);
      });
    }, DAY_MS);
  }

  /**
   * Sends every trade of (feed, symbol) to a strategy worker as binary frames until the returned
   * function is called. Never drops; a backlog above the alarm threshold flags the feed's status.
   */
  tradesToWorker(feedId: string, symbol: string, send: FrameSender): () => void {
    const release = this.acquire(feedId, symbol);
    const channel = new WorkerTradeChannel({
      send,
      registry: this.registry,
      onAlarm: (bytes) => {
        const feed = this.running(feedId);
        if (feed) feed.backpressure = true;
        this.options.log.warn({ feed: feedId, symbol, bytes }, "strategy worker is not keeping up with trades; queueing, nothing dropped");
      },
      onRefused: (trade, reason) => this.options.log.error({ feed: feedId, tradeId: trade.tradeId, reason }, "trade cannot be sent as a binary record"),
    });
    const key = `${feedId}|${symbol}`;
    let seen = this.reconnects.get(key) ?? 0;
    const off = this.bus.onEvent(feedId, symbol, (e) => {
      if (e.type !== "trade") return;
      const now = this.reconnects.get(key) ?? 0;
      channel.push(e, feedId, now !== seen ? AFTER_RECONNECT : 0);
      seen = now;
    });
    return () => {
      off();
      channel.flush();
      release();
    };
  }

  /** One-minute candles of (feed, symbol) in [from, to] from the venue's REST klines. */
  async candles(feedId: string, symbol: string, from: number, to: number, limit: number): Promise<Candle[]> {
    const entry = this.entry(feedId);
    const venueSymbol = await this.venueSymbol(feedId, symbol);
    const body = await this.restGet(feedId, klinesPath(entry.info.venue, venueSymbol, from, to, limit), AbortSignal.timeout(15_000));
    return parseKlines(entry.info.venue, body).filter((c) => c.t >= from - 60_000 && c.t <= to).slice(-limit);
  }

  /** Stops every feed and the simulator. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const e of this.entries.values()) {
      e.feed?.stop();
      if (e.refresh) this.clock.clearTimeout(e.refresh);
    }
    const sim = this.simulator;
    this.simulator = null;
    if (sim) await (await sim).close();
  }

  private entry(feedId: string): FeedEntry {
    const entry = this.entries.get(feedId);
    if (!entry) throw new ApiError("not_found", `unknown feed "${feedId}" (known: ${[...this.entries.keys()].join(", ")})`);
    return entry;
  }

  private async venueSymbol(feedId: string, symbol: string): Promise<string> {
    const entry = this.entry(feedId);
    if (entry.info.venue !== "kraken") return PROTOCOLS[entry.info.venue].venueSymbol(symbol);
    const list = await this.instruments(feedId).catch(() => []);
    return list.find((i) => i.symbol === symbol)?.venueSymbol ?? symbol.replace("BTC/", "XBT/").replace("/", "");
  }

  private async restGet(feedId: string, path: string, signal: AbortSignal): Promise<string> {
    const endpoints = await this.endpoints(feedId);
    return (this.options.fetch ?? defaultRestFetch)(endpoints.rest + path, signal);
  }

  private endpoints(feedId: string): Promise<VenueEndpoints> {
    const entry = this.entry(feedId);
    entry.endpoints ??= this.startSimulator().then((sim) => sim.urls("kraken"));
    return entry.endpoints;
  }

  private startSimulator(): Promise<Simulator> {
    this.simulator ??= Simulator.start({ venues: ["kraken"], symbols: { kraken: SIMULATED_SYMBOLS }, rate: this.options.config.simulatedRate, seed: Date.now() & 0xffff });
    return this.simulator;
  }

  private async feedOf(feedId: string, entry: FeedEntry): Promise<VenueFeed | null> {
    if (entry.feed) return entry.feed;
    const endpoints = await this.endpoints(feedId);
    if (this.stopped) return null;
    entry.feed ??= new VenueFeed({
      id: feedId,
      protocol: PROTOCOLS[entry.info.venue],
      endpoints,
      bus: this.bus,
      clock: this.clock,
      log: this.options.log,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      onHole: (symbols, from, to) => this.fillHole(feedId, symbols, from, to),
    });
    return entry.feed;
  }

  private fillHole(feedId: string, symbols: string[], from: number, to: number): void {
    for (const symbol of symbols) this.reconnects.set(`${feedId}|${symbol}`, (this.reconnects.get(`${feedId}|${symbol}`) ?? 0) + 1);
    const onCandles = this.options.onCandles;
    if (!onCandles) return;
    for (const symbol of symbols) {
      this.candles(feedId, symbol, Math.floor(from / 60_000) * 60_000, to, 1000).then(
        (candles) => onCandles(feedId, symbol, candles),
        (err: Error) => this.options.log.warn({ feed: feedId, symbol, err: err.message }, "could not refill candles after a reconnect"),
      );
    }
  }
}
