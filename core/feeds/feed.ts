/**
 * One live feed: a venue's connections (sharded to the venue's per-connection symbol limit), each
 * with its own protocol handler from `core/venues`, publishing to the bus. The handler's requests
 * are carried out here: a REST snapshot is fetched (retried with backoff until it arrives or the
 * symbol is dropped), recorded, and handed back; a resubscribe becomes the venue's messages. Every
 * reconnect resets the handler (books rebuild from fresh snapshots) and resubscribes everything;
 * the time the feed was down is reported as a hole so candles can be refilled.
 */
import type { FeedState, FeedStatus } from "../../common/api/market.ts";
import type { MarketEvent } from "../../common/market/events.ts";
import type { Logger } from "../log.ts";
import type { VenueHandler, VenueRequest, VenueSink } from "../venues/types.ts";
import { backoffDelay, type BackoffOptions } from "./backoff.ts";
import type { MarketBus } from "./bus.ts";
import { systemClock, type Clock } from "./clock.ts";
import { HttpStatusError, type RefusalContext } from "./connect-errors.ts";
import { FeedConnection, type ConnectionState } from "./connection.ts";
import { AttemptWindow } from "./limits.ts";
import type { VenueProtocol } from "./protocols.ts";

/** Where a venue lives. */
export interface VenueEndpoints {
  ws: string;
  rest: string;
}

/** Fetches a REST body (throws on HTTP errors and network failures). */
export type RestFetch = (url: string, signal: AbortSignal) => Promise<string>;

/** Options of {@link VenueFeed}. */
export interface FeedOptions {
  id: string;
  protocol: VenueProtocol;
  endpoints: VenueEndpoints;
  bus: MarketBus;
  clock?: Clock;
  random?: () => number;
  backoff?: BackoffOptions;
  fetch?: RestFetch;
  log?: Logger;
  /** Subscribe the ticker channel too (default true; the quote stream needs it). */
  ticker?: boolean;
  /** Overrides of the protocol's silence/ping windows (tests). */
  silenceMs?: number;
  pingMs?: number;
  /** Who the feed reaches, for failures in trader words. */
  venue?: RefusalContext;
  /** A downtime hole: the feed was disconnected from `from` to `to` (UTC ms). */
  onHole?: (symbols: string[], from: number, to: number) => void;
}

/** Plain `fetch` with an HTTP status check. */
export const defaultRestFetch: RestFetch = async (url, signal) => {
  const res = await fetch(url, { signal });
  const body = await res.text();
  if (!res.ok) throw new HttpStatusError(res.status, new URL(url).pathname);
  return body;
};

interface Shard {
  conn: FeedConnection;
  handler: VenueHandler;
  sink: VenueSink;
  symbols: Set<string>;
  downSince: number | null;
  /** Incremented on every open: answers to requests of an earlier connection are discarded. */
  epoch: number;
  /** REST answers waiting for the clock to pass their receive time (see `deliverRest`). */
  pendingRest: { request: RestRequest; body: string; t: number }[];
}

type RestRequest = Extract<VenueRequest, { kind: "rest" }>;

interface Counters {
  trades: number;
  gaps: number;
  checksumMismatches: number;
  malformed: number;
}

/** A venue feed. */
export class VenueFeed {
  readonly id: string;
  readonly protocol: VenueProtocol;
  readonly counters: Counters = { trades: 0, gaps: 0, checksumMismatches: 0, malformed: 0 };
  /** Extra status contributions (UI drops, backpressure) set by the owner. */
  uiDrops = 0;
  backpressure = false;
  private readonly shards: Shard[] = [];
  private readonly options: FeedOptions;
  private readonly clock: Clock;
  private readonly attempts: AttemptWindow;
  private readonly aborts = new AbortController();
  private nextReqId = 1;
  private rate = { at: 0, messages: 0, perSec: 0 };
  private stopped = false;

  constructor(options: FeedOptions) {
    this.id = options.id;
    this.protocol = options.protocol;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    const { maxConnectAttempts, connectWindowMs } = options.protocol.limits;
    this.attempts = new AttemptWindow(maxConnectAttempts, connectWindowMs);
  }

  /** Subscribed symbols. */
  symbols(): string[] {
    return this.shards.flatMap((s) => [...s.symbols]);
  }

  /** Subscribes `symbol` (connecting a new shard when the others are full). */
  add(symbol: string): void {
    if (this.stopped || this.shardOf(symbol)) return;
    let shard = this.shards.find((s) => s.symbols.size < this.protocol.limits.maxSymbolsPerConnection);
    if (!shard) {
      shard = this.newShard();
      this.shards.push(shard);
    }
    shard.symbols.add(symbol);
    if (shard.conn.state === "open") for (const m of this.protocol.subscribe([symbol], () => this.nextReqId++, this.options.ticker)) shard.conn.send(m);
    shard.conn.start();
  }

  /** Unsubscribes `symbol`; a shard left empty is closed. */
  remove(symbol: string): void {
    const shard = this.shardOf(symbol);
    if (!shard) return;
    shard.symbols.delete(symbol);
    if (shard.symbols.size === 0) {
      shard.conn.stop();
      this.shards.splice(this.shards.indexOf(shard), 1);
    } else if (shard.conn.state === "open") for (const m of this.protocol.unsubscribe([symbol], () => this.nextReqId++)) shard.conn.send(m);
  }

  /** The handler serving `symbol`, for book views. */
  handlerOf(symbol: string): VenueHandler | null {
    return this.shardOf(symbol)?.handler ?? null;
  }

  /** Closes every connection and cancels pending REST calls. */
  stop(): void {
    this.stopped = true;
    this.aborts.abort();
    for (const s of this.shards) s.conn.stop();
    this.shards.length = 0;
  }

  /** Forces every connection to reconnect (e.g. the owner noticed something wrong). */
  reconnect(reason: string): void {
    for (const s of this.shards) s.conn.reconnect(reason);
  }

  /** Current status. */
  status(): FeedStatus {
    const now = this.clock.now();
    const stats = this.shards.map((s) => s.conn.stats);
    const messages = stats.reduce((n, s) => n + s.messages, 0);
    if (now - this.rate.at >= 1000) {
      this.rate = { at: now, messages, perSec: this.rate.at === 0 ? 0 : Math.round(((messages - this.rate.messages) * 1000) / (now - this.rate.at)) };
    }
    const books: Record<string, "synced" | "resyncing"> = {};
    for (const s of this.shards) for (const sym of s.symbols) books[sym] = s.handler.bookStatus(sym) ?? "resyncing";
    const ages = this.shards.map((s) => s.conn.lastMessageAgeMs()).filter((a): a is number => a !== null);
    return {
      feed: this.id,
      venue: this.protocol.venue,
      state: this.state(),
      connections: this.shards.length,
      symbols: this.symbols(),
      books,
      msgsPerSec: this.rate.perSec,
      messages,
      ...this.counters,
      reconnects: stats.reduce((n, s) => n + s.reconnects, 0),
      silences: stats.reduce((n, s) => n + s.silences, 0),
      drops: { ui: this.uiDrops },
      backpressure: this.backpressure,
      lastMessageAgeMs: ages.length > 0 ? Math.max(...ages) : null,
      lastError: stats.find((s) => s.lastError)?.lastError ?? null,
    };
  }

  private state(): FeedState {
    if (this.stopped) return "stopped";
    if (this.shards.length === 0) return "idle";
    const states = this.shards.map((s) => s.conn.state);
    if (states.includes("reconnecting")) return "reconnecting";
    if (states.includes("connecting")) return "connecting";
    return "connected";
  }

  private shardOf(symbol: string): Shard | undefined {
    return this.shards.find((s) => s.symbols.has(symbol));
  }

  private newShard(): Shard {
    const handler = this.protocol.createHandler();
    const shard = { handler, symbols: new Set<string>(), downSince: null, epoch: 0, pendingRest: [] } as Partial<Shard> as Shard;
    shard.sink = this.makeSink(shard);
    shard.conn = new FeedConnection({
      url: this.options.endpoints.ws,
      clock: this.clock,
      ...(this.options.random ? { random: this.options.random } : {}),
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      silenceMs: this.options.silenceMs ?? this.protocol.silenceMs,
      pingMs: this.options.pingMs ?? this.protocol.pingMs,
      maxSendsPerSecond: this.protocol.limits.maxSendsPerSecond,
      attempts: this.attempts,
      ...(this.options.venue ? { venue: this.options.venue } : {}),
      onOpen: () => this.onOpen(shard),
      onFrame: (text, t, bytes) => this.onFrame(shard, text, t, bytes),
      onState: (state, detail) => this.onState(shard, state, detail),
    });
    return shard;
  }

  private onOpen(shard: Shard): void {
    shard.epoch++;
    shard.pendingRest.length = 0;
    shard.handler.onConnect();
    for (const m of this.protocol.subscribe([...shard.symbols], () => this.nextReqId++, this.options.ticker)) shard.conn.send(m);
    if (shard.downSince !== null) {
      this.options.onHole?.([...shard.symbols], shard.downSince, this.clock.now());
      shard.downSince = null;
    }
  }

  private onState(shard: Shard, state: ConnectionState, detail: string): void {
    if (state === "reconnecting") {
      shard.downSince ??= this.clock.now();
      this.options.log?.warn({ feed: this.id, detail }, "feed connection lost");
    } else if (state === "open") this.options.log?.info({ feed: this.id }, "feed connected");
  }

  private onFrame(shard: Shard, text: string, t: number, bytes: Uint8Array): void {
    this.guarded(() => {
      if (shard.pendingRest.length > 0) this.deliverRest(shard, t);
      if (this.options.bus.hasRaw(this.id)) this.options.bus.publishRaw(this.id, { t, frame: text, bytes });
      shard.handler.onFrame(text, t, shard.sink);
    });
  }

  /** Last resort around what a venue's data sets off: a frame no handler foresaw is counted and logged, never thrown into core. */
  private guarded(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.counters.malformed++;
      this.options.log?.error({ feed: this.id, err }, "feed frame failed");
    }
  }

  /**
   * Hands REST answers received before `before` to the handler (and to recorders, with their
   * receive time). An answer received at t is held until a frame with a later time arrives (or 1 ms
   * passes), so frames received in the same millisecond go first — the order replay uses, which
   * makes a recording reproduce live exactly; an answer never handed over is never recorded.
   */
  private deliverRest(shard: Shard, before: number): void {
    while (shard.pendingRest.length > 0 && shard.pendingRest[0]!.t < before) {
      const { request, body, t } = shard.pendingRest.shift()!;
      if (this.options.bus.hasRaw(this.id)) this.options.bus.publishRaw(this.id, { t, rest: { path: request.path, body } });
      shard.handler.onRest(request, body, t, shard.sink);
    }
  }

  private makeSink(shard: Shard): VenueSink {
    const bus = this.options.bus;
    return {
      event: (e: MarketEvent) => {
        this.count(e);
        bus.publish(this.id, e);
      },
      quote: (q) => bus.publishQuote(this.id, q),
      request: (r) => this.onRequest(shard, r),
      notice: (n) => {
        if (n.kind === "venue_error") this.options.log?.warn({ feed: this.id, message: n.message }, "venue error");
      },
    };
  }

  private count(e: MarketEvent): void {
    if (e.type === "trade") this.counters.trades++;
    else if (e.type === "gap") this.counters.gaps++;
    else if (e.type === "checksum_mismatch") this.counters.checksumMismatches++;
    else if (e.type === "error") this.counters.malformed++;
  }

  private onRequest(shard: Shard, r: VenueRequest): void {
    if (r.kind === "resubscribe") {
      for (const m of this.protocol.resubscribe(r, () => this.nextReqId++)) shard.conn.send(m);
      return;
    }
    void this.fetchRest(shard, r, 0);
  }

  /** Delivers held REST answers once the clock has moved past them, if no frame did it first. */
  private flushRestLater(shard: Shard, epoch: number): void {
    this.clock.setTimeout(() => {
      if (shard.epoch !== epoch || this.stopped) return;
      this.guarded(() => this.deliverRest(shard, this.clock.now()));
      if (shard.pendingRest.length > 0) this.flushRestLater(shard, epoch);
    }, 1);
  }

  private async fetchRest(shard: Shard, r: RestRequest, attempt: number): Promise<void> {
    const fetcher = this.options.fetch ?? defaultRestFetch;
    const epoch = shard.epoch;
    try {
      const body = await fetcher(this.options.endpoints.rest + r.path, this.aborts.signal);
      if (this.stopped || shard.epoch !== epoch || !shard.symbols.has(r.symbol)) return;
      shard.pendingRest.push({ request: r, body, t: this.clock.now() });
      this.flushRestLater(shard, epoch);
    } catch (err) {
      if (this.stopped || shard.epoch !== epoch) return;
      const delay = backoffDelay(attempt, this.options.backoff ?? { baseMs: 500, maxMs: 10_000, factor: 2 }, this.options.random);
      this.options.log?.warn({ feed: this.id, path: r.path, err: (err as Error).message, delay }, "REST request failed; retrying");
      this.clock.setTimeout(() => void this.fetchRest(shard, r, attempt + 1), delay);
    }
  }
}
