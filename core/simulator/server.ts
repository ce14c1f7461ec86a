/**
 * The local exchange simulator: one loopback HTTP server that speaks Kraken v2, Coinbase Advanced
 * Trade and Binance spot — WebSocket under `/<venue>/...`, REST under the same prefix — over seeded
 * simulated markets. Knobs: symbols per venue, market steps per second, heartbeat period, REST delay,
 * and faults injected on demand ({@link Simulator.inject}) or periodically; upgrades can be refused
 * with an HTTP status ({@link Simulator.refuseUpgrades}) and server clocks skewed. Serves the tests, the
 * benchmark, `workstation simulate`, and core's offline "Simulated" venue.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { VenueId } from "../../common/market/events.ts";
import { VENUE_MODULES } from "../venues/modules.ts";
import { seededRandom } from "../../common/random.ts";
import type { FaultKind, SimConnection, SimVenue } from "./venue.ts";

/** Default symbols per venue. */
export const DEFAULT_SIM_SYMBOLS: Readonly<Record<VenueId, readonly string[]>> = {
  kraken: ["BTC/USD", "ETH/USD"],
  coinbase: ["BTC/USD", "ETH/USD"],
  binance: ["BTC/USDT", "ETH/USDT"],
};

/** Options of {@link Simulator.start}. */
export interface SimulatorOptions {
  /** 0 = any free port. */
  port?: number;
  venues?: readonly VenueId[];
  symbols?: Partial<Record<VenueId, readonly string[]>>;
  /** Market steps per second per venue, spread over its symbols (0 = only manual `step`). */
  rate?: number;
  seed?: number;
  heartbeatMs?: number;
  /** Delay before every REST answer ("slow REST"). */
  restDelayMs?: number;
  /** Share of steps that are trades. */
  tradeShare?: number;
}

/** WebSocket and REST base URLs of one simulated venue. */
export interface SimVenueUrls {
  ws: string;
  rest: string;
}

type AnyVenue = SimVenue<{ conn: SimConnection }>;

const WS_PATHS: Record<VenueId, string> = { kraken: "/v2", coinbase: "/ws", binance: "/stream" };

/** Encodes text messages as unmasked, unfragmented WebSocket frames (RFC 6455 §5.2), concatenated. */
export function encodeTextFrames(texts: readonly string[]): Buffer {
  const payloads = texts.map((t) => Buffer.from(t));
  let size = 0;
  for (const p of payloads) size += p.length + (p.length < 126 ? 2 : p.length < 65_536 ? 4 : 10);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of payloads) {
    out[at++] = 0x81;
    if (p.length < 126) out[at++] = p.length;
    else if (p.length < 65_536) {
      out[at++] = 126;
      out.writeUInt16BE(p.length, at);
      at += 2;
    } else {
      out[at++] = 127;
      out.writeBigUInt64BE(BigInt(p.length), at);
      at += 8;
    }
    at += p.copy(out, at);
  }
  return out;
}

/** A running simulator. */
export class Simulator {
  readonly port: number;
  readonly venues = new Map<VenueId, AnyVenue>();
  /** REST paths served, in order (with the venue prefix). */
  readonly restLog: string[] = [];
  restDelayMs: number;
  rate: number;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  /** Share of market steps that are trades. */
  tradeShare: number;
  /** HTTP status each venue answers WebSocket upgrades with instead of switching protocols (tests of refusals). */
  private readonly refusals = new Map<VenueId, number>();
  private done = 0;
  private started = Date.now();
  private cursor = 0;

  private constructor(server: http.Server, wss: WebSocketServer, options: SimulatorOptions) {
    this.server = server;
    this.wss = wss;
    this.port = (server.address() as AddressInfo).port;
    this.restDelayMs = options.restDelayMs ?? 0;
    this.rate = options.rate ?? 20;
    this.tradeShare = options.tradeShare ?? 0.3;
    const random = seededRandom(options.seed ?? 42);
    for (const venue of options.venues ?? (["kraken", "coinbase", "binance"] as const)) {
      const symbols = options.symbols?.[venue] ?? DEFAULT_SIM_SYMBOLS[venue];
      this.venues.set(venue, VENUE_MODULES[venue].simulator(symbols, random) as AnyVenue);
    }
    this.timers.push(setInterval(() => this.tick(), 10));
    this.timers.push(setInterval(() => this.heartbeat(), options.heartbeatMs ?? 1000));
  }

  /** Starts a simulator on 127.0.0.1. */
  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const server = http.createServer();
    const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const sim = new Simulator(server, wss, options);
    // It runs inside core (the default simulated venue): no client may crash it, so each entry is guarded.
    server.on("request", (req, res) => {
      try {
        sim.onRequest(req, res);
      } catch {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      }
    });
    server.on("upgrade", (req, socket, head) => {
      socket.on("error", () => undefined);
      try {
        sim.onUpgrade(req, socket, head);
      } catch {
        socket.destroy();
      }
    });
    return sim;
  }

  /** URLs of `venue` (WebSocket: the combined-stream endpoint for Binance). */
  urls(venue: VenueId): SimVenueUrls {
    const base = `127.0.0.1:${this.port}/${venue}`;
    return { ws: `ws://${base}${WS_PATHS[venue]}`, rest: `http://${base}` };
  }

  /** Injects a fault into `venue`. */
  inject(venue: VenueId, fault: FaultKind): void {
    this.venues.get(venue)?.inject(fault);
  }

  /**
   * Makes `venue` refuse every WebSocket upgrade with HTTP `status` (451 region restricted, 403
   * forbidden, 5xx trouble), as a real venue's edge does; null accepts them again.
   */
  refuseUpgrades(venue: VenueId, status: number | null): void {
    if (status === null) this.refusals.delete(venue);
    else this.refusals.set(venue, status);
  }

  /** Sets how far `venue`'s server clock runs ahead of this machine's (its time endpoint answers with it). */
  setClockSkew(venue: VenueId, ms: number): void {
    const sim = this.venues.get(venue);
    if (sim) sim.clockSkewMs = ms;
  }

  /** Moves the markets of every venue (or only `venue`) `n` steps now. */
  step(n = 1, venue?: VenueId): void {
    for (let i = 0; i < n; i++) this.stepOnce(venue);
  }

  /** Open connections per venue. */
  connections(venue: VenueId): number {
    return this.venues.get(venue)?.sessions.size ?? 0;
  }

  /** Stops the server and drops every connection. */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const ws of this.wss.clients) ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private stepOnce(only?: VenueId): void {
    const now = Date.now();
    for (const venue of this.venues.values()) {
      if (only !== undefined && venue.venue !== only) continue;
      const symbols = [...venue.markets.keys()];
      const symbol = symbols[this.cursor % symbols.length]!;
      venue.step(symbol, venue.markets.get(symbol)!.step(now, this.tradeShare));
    }
    this.cursor++;
  }

  private tick(): void {
    if (this.rate <= 0) {
      this.started = Date.now();
      this.done = 0;
      return;
    }
    const due = Math.floor(((Date.now() - this.started) * this.rate) / 1000);
    const n = Math.min(due - this.done, Math.ceil(this.rate / 10));
    this.done = Math.max(this.done + n, due - Math.ceil(this.rate / 10));
    this.step(n);
  }

  private heartbeat(): void {
    const now = Date.now();
    for (const venue of this.venues.values()) venue.heartbeat(now);
  }

  /** The venue and venue-relative URL of a request target; null for an unknown venue or a target that does not parse. */
  private route(rawUrl: string | undefined): { venue: AnyVenue; url: URL } | null {
    try {
      const url = new URL(rawUrl ?? "/", "http://127.0.0.1");
      const [, name, ...rest] = url.pathname.split("/");
      const venue = this.venues.get(name as VenueId);
      if (!venue) return null;
      return { venue, url: new URL(`/${rest.join("/")}${url.search}`, "http://127.0.0.1") };
    } catch {
      return null;
    }
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const routed = req.method === "GET" ? this.route(req.url) : null;
    if (!routed) {
      res.writeHead(404).end();
      return;
    }
    this.restLog.push(req.url ?? "");
    const answer = () => {
      const { status, body } = routed.venue.rest(routed.url, Date.now());
      if (!res.destroyed) res.writeHead(status, { "content-type": "application/json" }).end(body);
    };
    if (this.restDelayMs > 0) setTimeout(answer, this.restDelayMs);
    else answer();
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const routed = this.route(req.url);
    if (!routed) {
      socket.destroy();
      return;
    }
    const refusal = this.refusals.get(routed.venue.venue);
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal} ${http.STATUS_CODES[refusal] ?? "Refused"}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, routed.venue, routed.url, req.url ?? "/"));
  }

  private onSocket(ws: WebSocket, venue: AnyVenue, url: URL, path: string): void {
    const conn: SimConnection = {
      silent: false,
      path,
      send: (text) => {
        if (ws.readyState === ws.OPEN) ws.send(text);
      },
      terminate: () => ws.terminate(),
      bufferedAmount: () => ws.bufferedAmount,
      sendMany: (texts) => {
        // ws keeps its net.Socket private. Without compression ws writes each frame whole and at
        // once, so unmasked server frames encoded here can share the socket with ws.send safely.
        const socket = (ws as unknown as { _socket?: Duplex })._socket;
        if (!socket || ws.readyState !== ws.OPEN) return false;
        return socket.write(encodeTextFrames(texts));
      },
    };
    const session = venue.open(conn, url);
    ws.on("message", (data, isBinary) => {
      try {
        if (!isBinary && !conn.silent) venue.message(session, data.toString());
      } catch {
        ws.terminate();
      }
    });
    ws.on("ping", (data) => {
      if (!conn.silent) ws.pong(data);
    });
    ws.on("close", () => venue.close(session));
    ws.on("error", () => undefined);
  }
}
