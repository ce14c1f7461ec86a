/**
 * Core's market-data hub: every venue environment of the built-in table (with feeds.json / env
 * overrides) plus the "simulated" feed (an in-process simulator speaking Kraken's protocol on
 * loopback, started on first use), one shared bus, symbol subscriptions counted per (feed, symbol)
 * so a venue is subscribed while anyone watches, cached instruments (refreshed daily), klines on
 * demand, and holes left by reconnects refilled from REST. Venues switch on and off live
 * ({@link FeedManager.setEnabled}): enabling one measures its clock and reconnects whatever is
 * watched on it; disabling closes its connections. Nothing touches the network at construction
 * or for a disabled venue.
 */
import { CLOCK_WARN_MS, type Candle, type FeedInfo, type FeedStatus, type Instrument, type VenueView } from "../../common/api/market.ts";
import { ApiError } from "../../common/api/index.ts";
import { AFTER_RECONNECT } from "../../common/market/trade-record.ts";
import type { Logger } from "../log.ts";
import { Simulator } from "../simulator/server.ts";
import { VENUE_DEFINITIONS } from "../venues/definitions.ts";
import { VENUE_MODULES } from "../venues/modules.ts";
import { MarketBus } from "./bus.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { FeedsConfig, VenueSwitch } from "./config.ts";
import { describeFailure } from "./connect-errors.ts";
import { defaultRestFetch, VenueFeed, type RestFetch, type VenueEndpoints } from "./feed.ts";
import { InstrumentRegistry } from "./instruments-registry.ts";
import { WorkerTradeChannel, type FrameSender } from "./worker-channel.ts";
import { PROTOCOLS } from "./protocols.ts";
import { instrumentsPath, klinesPath, parseInstruments, parseKlines } from "./rest.ts";
import { resolveVenues, type ResolvedVenue } from "./venue-list.ts";
import { clockWarning, measureClockOffset } from "./venue-clock.ts";
import { venueView } from "./venue-view.ts";

/** The offline feed's id. */
export const SIMULATED_FEED = "simulated";
const SIMULATED_SYMBOLS = ["BTC/USD", "ETH/USD", "SOL/USD"];
const DAY_MS = 86_400_000;

/** A feed's instrument list as cached (in SQLite by core) so search works offline. */
export interface InstrumentCache {
  load(feed: string): { at: number; list: Instrument[] } | null;
  save(feed: string, at: number, list: Instrument[]): void;
}

/** Options of {@link FeedManager}. */
export interface FeedManagerOptions {
  config: FeedsConfig;
  /** The trader's venue switches (Settings) at start. */
  switches?: readonly VenueSwitch[];
  log: Logger;
  clock?: Clock;
  fetch?: RestFetch;
  /** Where instrument lists persist between runs. */
  instrumentCache?: InstrumentCache;
  /** Candles fetched to fill a reconnect hole (for the store). */
  onCandles?: (feed: string, symbol: string, candles: Candle[]) => void;
}

interface FeedEntry {
  info: FeedInfo;
  /** The venue environment; null for the simulated feed. */
  venue: ResolvedVenue | null;
  enabled: boolean;
  feed: VenueFeed | null;
  endpoints: Promise<VenueEndpoints> | null;
  instruments: { at: number; list: Instrument[] } | null;
  refresh: ReturnType<Clock["setTimeout"]> | null;
  /** A failure outside the feed's connections (probe, clock, instruments), in trader words. */
  lastError: string | null;
  clockOffsetMs: number | null;
}

/** Owns every feed of a core. */
export class FeedManager {
  readonly bus = new MarketBus();
  readonly registry = new InstrumentRegistry();
  private readonly entries = new Map<string, FeedEntry>();
  private readonly refs = new Map<string, number>();
  /** Reconnects seen per `feed|symbol`, so worker records can flag the first trade after one. */
  private readonly reconnects = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly options: FeedManagerOptions;
  private readonly clock: Clock;
  private simulator: Promise<Simulator> | null = null;
  /** The simulator's URLs once it runs (for `workstation venues`), else null. */
  private simulatorUrls: VenueEndpoints | null = null;
  private defaultId: string;
  private stopped = false;

  constructor(options: FeedManagerOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    const switches = options.switches ?? [];
    const simulated = switches.find((s) => s.id === SIMULATED_FEED);
    const simSymbols = simulated && simulated.symbols.length > 0 ? [...simulated.symbols] : SIMULATED_SYMBOLS;
    this.entries.set(SIMULATED_FEED, this.newEntry({ feed: SIMULATED_FEED, venue: "kraken", simulated: true, symbols: simSymbols }, null, simulated?.enabled ?? options.config.simulated));
    for (const v of resolveVenues(options.config, switches)) {
      this.entries.set(v.id, this.newEntry({ feed: v.id, venue: v.venue, simulated: false, symbols: v.symbols }, v, v.enabled));
    }
    this.defaultId = this.fallbackDefault();
    this.bus.onListenerError = (err) => options.log.error({ err }, "market subscriber failed");
  }

  private newEntry(info: FeedInfo, venue: ResolvedVenue | null, enabled: boolean): FeedEntry {
    const endpoints = venue ? Promise.resolve({ ws: venue.ws, rest: venue.rest }) : null;
    return { info, venue, enabled, feed: null, endpoints, instruments: null, refresh: null, lastError: null, clockOffsetMs: null };
  }

  private fallbackDefault(): string {
    if (this.entries.get(SIMULATED_FEED)?.enabled) return SIMULATED_FEED;
    return [...this.entries.values()].find((e) => e.enabled)?.info.feed ?? SIMULATED_FEED;
  }

  /** Enabled feeds core can serve. */
  feeds(): FeedInfo[] {
    return [...this.entries.values()].filter((e) => e.enabled).map((e) => e.info);
  }

  /** Every venue environment, enabled or not, with its health. */
  venues(): VenueView[] {
    return [...this.entries.values()].map((e) =>
      venueView({ feed: e.info.feed, venue: e.venue, enabled: e.enabled, status: e.feed?.status() ?? null, lastError: e.lastError, clockOffsetMs: e.clockOffsetMs, simulatorUrls: this.simulatorUrls }),
    );
  }

  /** Calls `listener` whenever a venue is switched on or off; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The feed a new window opens: the first reachable enabled venue, else the simulator. */
  defaultFeed(): string {
    return this.defaultId;
  }

  /**
   * Switches a venue on or off without restarting core. On: its clock offset is measured and
   * whatever is watched on it subscribes. Off: its connections close (their recording with them).
   * Returns false when nothing changed.
   */
  setEnabled(feedId: string, enabled: boolean): boolean {
    const entry = this.entries.get(feedId);
    if (!entry) throw new ApiError("not_found", `unknown venue "${feedId}" (known: ${[...this.entries.keys()].join(", ")})`);
    if (entry.enabled === enabled) return false;
    entry.enabled = enabled;
    if (enabled) {
      this.options.log.info({ feed: feedId }, "venue enabled");
      this.probeOne(feedId, entry, 5000);
      const watched = [...this.refs.keys()].filter((k) => k.startsWith(`${feedId}|`)).map((k) => k.slice(feedId.length + 1));
      if (watched.length > 0) void this.feedOf(feedId, entry).then((f) => watched.forEach((s) => (this.refs.get(`${feedId}|${s}`) ?? 0) > 0 && f?.add(s)));
    } else {
      this.options.log.info({ feed: feedId }, "venue disabled");
      entry.feed?.stop();
      entry.feed = null;
      if (entry.refresh) this.clock.clearTimeout(entry.refresh);
      entry.refresh = null;
      if (this.defaultId === feedId) this.defaultId = this.fallbackDefault();
    }
    for (const l of this.listeners) l();
    return true;
  }

  /** Applies the trader's switches (Settings changed): every venue whose on/off differs is switched live. */
  applySwitches(switches: readonly VenueSwitch[]): void {
    const sim = switches.find((s) => s.id === SIMULATED_FEED);
    this.setEnabled(SIMULATED_FEED, sim?.enabled ?? this.options.config.simulated);
    for (const v of resolveVenues(this.options.config, switches)) {
      const entry = this.entries.get(v.id);
      if (entry) entry.info = { ...entry.info, symbols: v.symbols };
      this.setEnabled(v.id, v.enabled);
    }
  }

  /**
   * Checks in the background whether enabled venues answer (measuring each one's clock offset);
   * the first that does becomes the default feed. Never throws; no venue is touched while disabled.
   */
  probe(timeoutMs = 5000): void {
    for (const [id, entry] of this.entries) if (entry.enabled && !entry.info.simulated) this.probeOne(id, entry, timeoutMs);
  }

  private probeOne(id: string, entry: FeedEntry, timeoutMs: number): void {
    if (!entry.venue) return;
    const venue = entry.venue;
    const definition = VENUE_DEFINITIONS[venue.venue];
    measureClockOffset(definition, venue.rest, this.options.fetch ?? defaultRestFetch, this.clock, timeoutMs).then(
      (offset) => {
        entry.clockOffsetMs = offset;
        entry.lastError = null;
        if (this.defaultId === SIMULATED_FEED || !this.entries.get(this.defaultId)?.enabled) this.defaultId = id;
        const warning = clockWarning(venue.name, offset, CLOCK_WARN_MS);
        if (warning) this.options.log.warn({ feed: id, offsetMs: offset }, warning);
      },
      (err: Error) => {
        entry.lastError = describeFailure(err, venue.rest, { name: venue.name, restrictedHint: definition.restrictedHint });
        this.options.log.info({ feed: id, err: err.message }, `${venue.name} not reachable: ${entry.lastError}`);
      },
    );
  }

  /** Subscribes (feed, symbol) until the returned function is called; a disabled venue is refused. */
  acquire(feedId: string, symbol: string): () => void {
    const entry = this.entry(feedId);
    const key = `${feedId}|${symbol}`;
    const n = (this.refs.get(key) ?? 0) + 1;
    this.refs.set(key, n);
    const add = (f: VenueFeed | null) => (this.refs.get(key) ?? 0) > 0 && entry.enabled && f?.add(symbol);
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

  /** The running feed of `feedId`, or null before its first subscription or while disabled. */
  running(feedId: string): VenueFeed | null {
    return this.entries.get(feedId)?.feed ?? null;
  }

  /** Status of every feed that has started. */
  status(): FeedStatus[] {
    return [...this.entries.values()].flatMap((e) => (e.feed ? [e.feed.status()] : []));
  }

  /** The instruments of a feed, from its REST endpoint, cached for a day (in memory and in the cache given). */
  async instruments(feedId: string): Promise<Instrument[]> {
    const entry = this.entry(feedId);
    entry.instruments ??= this.options.instrumentCache?.load(feedId) ?? null;
    if (entry.instruments && this.clock.now() - entry.instruments.at < DAY_MS) return entry.instruments.list;
    const list = parseInstruments(entry.info.venue, await this.restGet(feedId, instrumentsPath(entry.info.venue), AbortSignal.timeout(15_000)));
    entry.instruments = { at: this.clock.now(), list };
    this.options.instrumentCache?.save(feedId, entry.instruments.at, list);
    for (const i of list) this.registry.setScales(feedId, i.symbol, i.pricePrecision, i.sizePrecision);
    this.scheduleRefresh(feedId, entry);
    return list;
  }

  /** The instruments known for a feed without asking the venue (memory or the persistent cache). */
  cachedInstruments(feedId: string): Instrument[] | null {
    const entry = this.entries.get(feedId);
    if (!entry) return null;
    entry.instruments ??= this.options.instrumentCache?.load(feedId) ?? null;
    return entry.instruments?.list ?? null;
  }

  /** Refreshes a feed's instruments once a day after they were first loaded (failures are retried next day). */
  private scheduleRefresh(feedId: string, entry: FeedEntry): void {
    if (entry.refresh || this.stopped || !entry.enabled) return;
    entry.refresh = this.clock.setTimeout(() => {
      entry.refresh = null;
      if (!entry.enabled) return;
      const stale = entry.instruments;
      entry.instruments = null;
      this.instruments(feedId).catch((err: Error) => {
        entry.instruments ??= stale;
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
    if (!entry.enabled) throw new ApiError("unavailable", `${entry.venue?.name ?? feedId} is switched off; enable it in Settings or with \`workstation venues enable\``);
    return entry;
  }

  private async venueSymbol(feedId: string, symbol: string): Promise<string> {
    const list = await this.instruments(feedId).catch(() => []);
    return list.find((i) => i.symbol === symbol)?.venueSymbol ?? VENUE_MODULES[this.entry(feedId).info.venue].rest.restSymbol(symbol);
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
    if (!entry.venue) this.simulatorUrls = endpoints;
    if (this.stopped || !entry.enabled) return null;
    entry.feed ??= new VenueFeed({
      id: feedId,
      protocol: PROTOCOLS[entry.info.venue],
      endpoints,
      bus: this.bus,
      clock: this.clock,
      log: this.options.log,
      venue: { name: entry.venue?.name ?? "The simulator", restrictedHint: entry.venue ? VENUE_DEFINITIONS[entry.venue.venue].restrictedHint : null },
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
