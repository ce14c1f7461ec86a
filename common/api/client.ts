/**
 * The generic API client: one implementation for the renderer (browser WebSocket), the CLI and the
 * tests (`ws` in Node). It correlates request ids, re-throws typed errors, reports progress,
 * cancels through AbortSignal, and keeps subscriptions alive across reconnects.
 */
import { ApiError } from "./errors.ts";
import type { EventOf, MethodName, ParamsIn, ResultOf, StreamName } from "./index.ts";
import type { ClientMessage, Progress, ServerMessage } from "./protocol.ts";

/** The part of a WebSocket the client uses (the DOM WebSocket and `ws` both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/** What core says first on every connection. */
export interface CoreHello {
  instanceId: string;
  /** Stays the same across supervised restarts of the same launch. */
  sessionId: string;
  version: string;
}

/** Connection state as shown to the user. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  /** Opens a new socket; called again for each reconnect. */
  connect: () => SocketLike;
  /** Reconnect with exponential backoff (default on). */
  reconnect?: { minDelayMs: number; maxDelayMs: number } | false;
  /** Called on every state change and on each `hello` from core. */
  onStateChange?: (state: ConnectionState) => void;
  onHello?: (hello: CoreHello) => void;
}

/** Options of one call. */
export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** Callbacks of one subscription. */
export interface StreamHandlers<E> {
  onEvent: (event: E) => void;
  onDropped?: (count: number) => void;
  onEnd?: (error?: ApiError) => void;
}

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: ApiError) => void;
  onProgress: ((progress: Progress) => void) | undefined;
  message: ClientMessage;
  sent: boolean;
}

/** One stream subscription on the wire, shared by every caller that asked for the same stream and params. */
interface ActiveSub {
  message: Extract<ClientMessage, { t: "sub" }>;
  key: string;
  listeners: Set<StreamHandlers<unknown>>;
}

const OPEN = 1;

/** A typed client of core's API map. */
export class ApiClient {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly calls = new Map<number, PendingCall>();
  private readonly subs = new Map<number, ActiveSub>();
  private readonly subsByKey = new Map<string, ActiveSub>();
  private stateValue: ConnectionState = "connecting";
  private retryDelay: number;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closedByUser = false;

  private readonly options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.options = options;
    this.retryDelay = options.reconnect ? options.reconnect.minDelayMs : 0;
    this.open();
  }

  /** The current connection state. */
  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Sends a request and resolves with its typed result, or rejects with an {@link ApiError}. */
  call<K extends MethodName>(method: K, params: ParamsIn<K>, options: CallOptions = {}): Promise<ResultOf<K>> {
    if (this.stateValue === "closed" || this.stateValue === "reconnecting") {
      return Promise.reject(new ApiError("unavailable", "core is not connected"));
    }
    const id = this.nextId++;
    const message: ClientMessage = { t: "call", id, method, params };
    return new Promise<ResultOf<K>>((resolve, reject) => {
      const pending: PendingCall = {
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress: options.onProgress,
        message,
        sent: false,
      };
      this.calls.set(id, pending);
      if (options.signal) this.bindAbort(id, options.signal);
      this.trySend(pending);
    });
  }

  /**
   * Subscribes to a stream; returns the function that unsubscribes. Survives reconnects. Callers
   * asking for the same stream with the same params share one subscription on the wire (core
   * serializes and sends each event once, the client parses it once).
   */
  subscribe<K extends StreamName>(stream: K, params: ParamsIn<K>, handlers: StreamHandlers<EventOf<K>>): () => void {
    const listener = handlers as StreamHandlers<unknown>;
    const key = `${stream}\u0000${JSON.stringify(params)}`;
    let sub = this.subsByKey.get(key);
    if (sub === undefined) {
      const id = this.nextId++;
      sub = { message: { t: "sub", id, stream, params }, key, listeners: new Set() };
      this.subs.set(id, sub);
      this.subsByKey.set(key, sub);
      if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(sub.message));
    }
    const active = sub;
    active.listeners.add(listener);
    return () => {
      if (!active.listeners.delete(listener) || active.listeners.size > 0) return;
      this.forget(active);
      if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify({ t: "unsub", id: active.message.id }));
    };
  }

  private forget(sub: ActiveSub): void {
    this.subs.delete(sub.message.id);
    if (this.subsByKey.get(sub.key) === sub) this.subsByKey.delete(sub.key);
  }

  /** Closes the connection for good; pending calls fail with `unavailable`. */
  close(): void {
    this.closedByUser = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.failPending("client closed");
    this.setState("closed");
  }

  private bindAbort(id: number, signal: AbortSignal): void {
    const abort = (): void => {
      const pending = this.calls.get(id);
      if (!pending) return;
      this.calls.delete(id);
      if (pending.sent && this.socket?.readyState === OPEN) this.socket.send(JSON.stringify({ t: "cancel", id }));
      pending.reject(new ApiError("cancelled", "cancelled by the caller"));
    };
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  }

  private trySend(pending: PendingCall): void {
    if (pending.sent || this.socket?.readyState !== OPEN) return;
    this.socket.send(JSON.stringify(pending.message));
    pending.sent = true;
  }

  private open(): void {
    this.setState(this.stateValue === "connecting" ? "connecting" : "reconnecting");
    let socket: SocketLike;
    try {
      socket = this.options.connect();
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.handleOpen();
    socket.onmessage = (ev) => this.handleMessage(ev.data);
    socket.onerror = () => undefined;
    socket.onclose = () => this.handleClose(socket);
  }

  private handleOpen(): void {
    if (this.options.reconnect) this.retryDelay = this.options.reconnect.minDelayMs;
    this.setState("open");
    for (const sub of this.subs.values()) this.socket?.send(JSON.stringify(sub.message));
    for (const pending of this.calls.values()) this.trySend(pending);
  }

  private handleClose(socket: SocketLike): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.failPending("connection to core lost");
    if (this.closedByUser) return;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const policy = this.options.reconnect ?? { minDelayMs: 250, maxDelayMs: 5000 };
    if (policy === false) {
      this.setState("closed");
      return;
    }
    this.setState("reconnecting");
    const jitter = 0.5 + Math.random() / 2;
    const delay = Math.min(this.retryDelay || policy.minDelayMs, policy.maxDelayMs) * jitter;
    this.retryDelay = Math.min((this.retryDelay || policy.minDelayMs) * 2, policy.maxDelayMs);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private failPending(reason: string): void {
    for (const [id, pending] of this.calls) {
      this.calls.delete(id);
      pending.reject(new ApiError("unavailable", reason));
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.stateValue && state !== "connecting") return;
    this.stateValue = state;
    this.options.onStateChange?.(state);
  }

  private handleMessage(data: unknown): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    if (msg.t === "hello") {
      this.options.onHello?.({ instanceId: msg.instanceId, sessionId: msg.sessionId, version: msg.version });
      return;
    }
    if (msg.t === "result" || msg.t === "error" || msg.t === "progress") this.handleCallMessage(msg);
    else this.handleStreamMessage(msg);
  }

  private handleCallMessage(msg: Extract<ServerMessage, { t: "result" | "error" | "progress" }>): void {
    const pending = this.calls.get(msg.id);
    if (!pending) return;
    if (msg.t === "progress") {
      pending.onProgress?.(msg.progress);
      return;
    }
    this.calls.delete(msg.id);
    if (msg.t === "result") pending.resolve(msg.result);
    else pending.reject(ApiError.fromBody(msg.error));
  }

  private handleStreamMessage(msg: Extract<ServerMessage, { t: "event" | "dropped" | "end" }>): void {
    const sub = this.subs.get(msg.id);
    if (!sub) return;
    const listeners = [...sub.listeners];
    if (msg.t === "event") for (const l of listeners) l.onEvent(msg.event);
    else if (msg.t === "dropped") for (const l of listeners) l.onDropped?.(msg.count);
    else {
      this.forget(sub);
      const error = msg.error ? ApiError.fromBody(msg.error) : undefined;
      for (const l of listeners) l.onEnd?.(error);
    }
  }
}
