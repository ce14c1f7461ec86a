/**
 * One WebSocket connection to a venue that stays up by itself: connect (with a timeout), let the
 * owner subscribe on open, pass every text frame on with its receive time, watch for silence
 * (ping when idle, reconnect when silent past the window), reconnect with exponential backoff and
 * jitter after any loss, and pace outgoing messages and connection attempts to the venue's limits.
 * The owner resubscribes from `onOpen`, which runs on every (re)connect.
 */
import WebSocket from "ws";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.ts";
import { systemClock, type Clock, type TimerHandle } from "./clock.ts";
import { describeHttpRefusal, describeNetworkError, hostOf, type RefusalContext } from "./connect-errors.ts";
import { AttemptWindow } from "./limits.ts";
import { Watchdog } from "./watchdog.ts";

/** Where a connection is in its life. */
export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "stopped";

/** Counters of one connection. */
export interface ConnectionStats {
  messages: number;
  bytes: number;
  connects: number;
  reconnects: number;
  silences: number;
  lastMessageAt: number | null;
  lastError: string | null;
}

/** Options of {@link FeedConnection}. */
export interface ConnectionOptions {
  /** The URL, read at each attempt (a combined-stream URL may change with the subscriptions). */
  url: string | (() => string);
  clock?: Clock;
  random?: () => number;
  backoff?: BackoffOptions;
  /** A connection silent this long is dropped and reconnected. */
  silenceMs: number;
  /** Idle time after which a WebSocket ping is sent; a pong counts as life. */
  pingMs?: number;
  connectTimeoutMs?: number;
  /** Outgoing messages per second allowed by the venue. */
  maxSendsPerSecond?: number;
  /** Connection attempts shared across a venue's connections. */
  attempts?: AttemptWindow;
  /** Who this connection reaches, so failures read in trader words (default: the URL's host). */
  venue?: RefusalContext;
  /** Called on each open; the owner sends its subscriptions here. */
  onOpen(): void;
  /** One text frame, its receive time (UTC ms) and the bytes it was decoded from (valid during the call). */
  onFrame(text: string, receivedAt: number, bytes: Uint8Array): void;
  onState?(state: ConnectionState, detail: string): void;
}

/** The backoff attempt a refused upgrade (HTTP 4xx) jumps to: retries wait near the cap, never in a tight loop. */
const REFUSED_ATTEMPT = 6;

/** A self-healing venue connection. */
export class FeedConnection {
  readonly stats: ConnectionStats = { messages: 0, bytes: 0, connects: 0, reconnects: 0, silences: 0, lastMessageAt: null, lastError: null };
  private stateValue: ConnectionState = "idle";
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: TimerHandle | null = null;
  private connectTimer: TimerHandle | null = null;
  private sendTimer: TimerHandle | null = null;
  private readonly outbox: string[] = [];
  private readonly clock: Clock;
  private readonly watchdog: Watchdog;
  private bucket: AttemptWindow | null = null;
  private readonly options: ConnectionOptions;

  constructor(options: ConnectionOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.watchdog = new Watchdog({
      clock: this.clock,
      silenceMs: options.silenceMs,
      ...(options.pingMs !== undefined ? { pingMs: options.pingMs } : {}),
      onPing: () => this.ping(),
      onSilence: (ms) => this.onSilence(ms),
    });
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Milliseconds since the last frame, or null before the first. */
  lastMessageAgeMs(): number | null {
    return this.stats.lastMessageAt === null ? null : this.clock.now() - this.stats.lastMessageAt;
  }

  /** Starts connecting (no-op when already started). */
  start(): void {
    if (this.stateValue !== "idle") return;
    this.connect();
  }

  /** Closes for good. */
  stop(): void {
    this.setState("stopped", "stopped");
    this.clearTimers();
    this.outbox.length = 0;
    this.dropSocket();
  }

  /** Queues a text message; sent in order, paced to the venue's limit, once open. */
  send(text: string): void {
    if (this.stateValue === "stopped") return;
    this.outbox.push(text);
    this.drain();
  }

  /** Drops the connection and reconnects (after backoff), e.g. when the protocol layer asks. */
  reconnect(reason: string): void {
    if (this.stateValue !== "open" && this.stateValue !== "connecting") return;
    this.stats.lastError = reason;
    this.lost(reason);
  }

  private connect(): void {
    if (this.stateValue === "stopped") return;
    const wait = this.options.attempts?.take(this.clock.now()) ?? 0;
    if (wait > 0) {
      this.retryTimer = this.clock.setTimeout(() => {
        this.retryTimer = null;
        this.connect();
      }, wait);
      return;
    }
    this.setState("connecting", "connecting");
    const url = typeof this.options.url === "function" ? this.options.url() : this.options.url;
    const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    this.socket = socket;
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    this.connectTimer = this.clock.setTimeout(() => {
      this.stats.lastError = `cannot reach ${hostOf(url)}: no answer within ${timeoutMs / 1000} s`;
      this.lost("connect timeout");
    }, timeoutMs);
    socket.on("open", () => this.onOpen(socket));
    socket.on("message", (data, isBinary) => this.onMessage(socket, data, isBinary));
    socket.on("pong", () => {
      if (socket === this.socket) this.watchdog.kick();
    });
    socket.on("unexpected-response", (_req, res) => {
      if (socket !== this.socket) return;
      const status = res.statusCode ?? 0;
      this.stats.lastError = describeHttpRefusal(status, this.options.venue ?? { name: hostOf(url) });
      // A refusal will not change in a second: wait as long as the backoff allows before asking again.
      if (status >= 400 && status < 500) this.attempt = Math.max(this.attempt, REFUSED_ATTEMPT);
      this.lost(this.stats.lastError);
    });
    socket.on("error", (err) => {
      if (socket === this.socket) this.stats.lastError = describeNetworkError(err, url);
    });
    socket.on("close", (code) => {
      if (socket === this.socket) this.lost(`closed (${code})`);
    });
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.socket) return;
    if (this.connectTimer) this.clock.clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.stats.connects++;
    this.attempt = 0;
    this.bucket = this.options.maxSendsPerSecond ? new AttemptWindow(this.options.maxSendsPerSecond, 1000) : null;
    this.outbox.length = 0;
    this.setState("open", "open");
    this.watchdog.start();
    this.options.onOpen();
    this.drain();
  }

  private onMessage(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    if (socket !== this.socket) return;
    const now = this.clock.now();
    this.watchdog.kick(now);
    this.stats.messages++;
    this.stats.lastMessageAt = now;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const text = bytes.toString();
    this.stats.bytes += text.length;
    if (isBinary) return;
    this.options.onFrame(text, now, bytes);
  }

  private onSilence(ms: number): void {
    this.stats.silences++;
    this.stats.lastError = `silent for ${ms} ms`;
    this.lost(`silent for ${ms} ms`);
  }

  private ping(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.ping();
  }

  /** The socket is gone (closed, failed, timed out or silent): schedule the next attempt. */
  private lost(reason: string): void {
    if (this.stateValue === "stopped") return;
    this.clearTimers();
    this.dropSocket();
    const delay = backoffDelay(this.attempt++, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.stats.reconnects++;
    this.setState("reconnecting", `${reason}; retry in ${delay} ms`);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private drain(): void {
    if (this.stateValue !== "open" || this.sendTimer) return;
    while (this.outbox.length > 0) {
      const wait = this.bucket?.take(this.clock.now()) ?? 0;
      if (wait > 0) {
        this.sendTimer = this.clock.setTimeout(() => {
          this.sendTimer = null;
          this.drain();
        }, wait);
        return;
      }
      this.socket?.send(this.outbox.shift()!);
    }
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.watchdog.stop();
    if (!socket) return;
    socket.removeAllListeners("message");
    socket.on("error", () => undefined);
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.terminate();
  }

  private clearTimers(): void {
    for (const t of [this.retryTimer, this.connectTimer, this.sendTimer]) if (t) this.clock.clearTimeout(t);
    this.retryTimer = this.connectTimer = this.sendTimer = null;
  }

  private setState(state: ConnectionState, detail: string): void {
    this.stateValue = state;
    this.options.onState?.(state, detail);
  }
}
