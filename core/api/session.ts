/**
 * One client connection's view of the API: validates each frame and its params against the API
 * map, runs the handler, and sends replies, progress and stream events through the outbox.
 * Transport-agnostic (the WebSocket glue is in `ws-transport.ts`), so it is tested without sockets.
 * A connection may hold at most {@link DEFAULT_SESSION_LIMITS} open subscriptions and requests in
 * flight; one more is refused with `limit_exceeded` and everything already open keeps running.
 */
import type { z } from "zod";
import {
  ApiError,
  lookupSpec,
  parseClientMessage,
  type ClientMessage,
  type ServerMessage,
} from "../../common/api/index.ts";
import type { Logger } from "../log.ts";
import type { ApiHandlers, CallContext, StreamSink } from "./handlers.ts";
import { StreamOutbox, type OutboxOptions, type OutboxSocket } from "./outbox.ts";

type AnyHandler = (params: unknown, ctx: unknown) => unknown;

/** Per-connection caps. */
export interface SessionLimits {
  /** Open subscriptions at once. */
  maxSubscriptions: number;
  /** Requests running at once. */
  maxInFlight: number;
}

/** The caps of a connection unless the transport says otherwise. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSubscriptions: 256, maxInFlight: 64 };

/** Serves the API map to one connected client. */
export class ApiSession {
  private readonly outbox: StreamOutbox;
  private readonly running = new Map<number, AbortController>();
  private readonly streams = new Map<number, AbortController>();

  private readonly handlers: ApiHandlers;
  private readonly socket: OutboxSocket;
  private readonly log: Logger;
  private readonly limits: SessionLimits;
  readonly clientId: string;

  constructor(
    handlers: ApiHandlers,
    socket: OutboxSocket,
    log: Logger,
    clientId: string,
    outboxOptions: Partial<OutboxOptions> = {},
    limits: Partial<SessionLimits> = {},
  ) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...limits };
    this.handlers = handlers;
    this.socket = socket;
    this.log = log;
    this.clientId = clientId;
    this.outbox = new StreamOutbox(socket, outboxOptions);
  }

  /** Events dropped for this client so far (slow consumer). */
  get droppedEvents(): number {
    return this.outbox.droppedTotal;
  }

  /** Handles one text frame from the client. Never throws. */
  receive(text: string): void {
    const msg = parseClientMessage(text);
    if (typeof msg === "string") {
      this.log.warn({ clientId: this.clientId, reason: msg }, "bad frame from client");
      this.send({ t: "error", id: -1, error: { code: "bad_request", message: msg } });
      return;
    }
    this.dispatch(msg);
  }

  /** Aborts every running call and stream; called when the socket closes. */
  dispose(): void {
    for (const ctrl of this.running.values()) ctrl.abort();
    for (const ctrl of this.streams.values()) ctrl.abort();
    this.running.clear();
    this.streams.clear();
    this.outbox.dispose();
  }

  private dispatch(msg: ClientMessage): void {
    switch (msg.t) {
      case "call":
        void this.runCall(msg.id, msg.method, msg.params);
        return;
      case "cancel":
        this.running.get(msg.id)?.abort();
        return;
      case "sub":
        this.startStream(msg.id, msg.stream, msg.params);
        return;
      case "unsub":
        this.stopStream(msg.id);
        return;
    }
  }

  private validate(name: string, kind: "method" | "stream", params: unknown): unknown {
    const spec = lookupSpec(name);
    if (!spec || spec.kind !== kind) throw new ApiError("unknown_method", `unknown ${kind} "${name}"`);
    const parsed = (spec.params as z.ZodType).safeParse(params ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      const first = issues[0];
      const where = first && first.path ? ` at ${first.path}` : "";
      throw new ApiError("bad_request", `invalid params for ${name}${where}: ${first?.message ?? "invalid"}`, issues);
    }
    return parsed.data;
  }

  private async runCall(id: number, method: string, rawParams: unknown): Promise<void> {
    if (this.running.has(id)) {
      this.send({ t: "error", id, error: { code: "conflict", message: `call id ${id} is already running` } });
      return;
    }
    if (this.running.size >= this.limits.maxInFlight) {
      const message = `too many requests in flight on this connection (limit ${this.limits.maxInFlight}); wait for some to finish`;
      this.send({ t: "error", id, error: { code: "limit_exceeded", message } });
      return;
    }
    const ctrl = new AbortController();
    this.running.set(id, ctrl);
    try {
      const params = this.validate(method, "method", rawParams);
      const ctx: CallContext = {
        signal: ctrl.signal,
        clientId: this.clientId,
        progress: (progress) => {
          if (!ctrl.signal.aborted) this.send({ t: "progress", id, progress });
        },
      };
      const handler = this.handlers[method as keyof ApiHandlers] as AnyHandler;
      const result = await handler(params, ctx);
      if (!ctrl.signal.aborted) this.send({ t: "result", id, result: result ?? null });
    } catch (err) {
      if (!ctrl.signal.aborted) this.send({ t: "error", id, error: this.toApiError(err, method).toBody() });
    } finally {
      this.running.delete(id);
    }
  }

  private startStream(id: number, stream: string, rawParams: unknown): void {
    if (this.streams.has(id)) {
      this.send({ t: "end", id, error: { code: "conflict", message: `stream id ${id} is already open` } });
      return;
    }
    if (this.streams.size >= this.limits.maxSubscriptions) {
      const message = `too many subscriptions on this connection (limit ${this.limits.maxSubscriptions}); unsubscribe some first`;
      this.send({ t: "end", id, error: { code: "limit_exceeded", message } });
      return;
    }
    let params: unknown;
    try {
      params = this.validate(stream, "stream", rawParams);
    } catch (err) {
      this.send({ t: "end", id, error: this.toApiError(err, stream).toBody() });
      return;
    }
    const spec = lookupSpec(stream);
    const ctrl = new AbortController();
    this.streams.set(id, ctrl);
    this.outbox.open(id, spec?.kind === "stream" ? spec.delivery : "latest");
    const sink: StreamSink<unknown> = {
      signal: ctrl.signal,
      congested: () => this.outbox.isCongested(id),
      emit: (event) => {
        if (!ctrl.signal.aborted) this.outbox.push(id, event);
      },
      end: (error) => {
        if (ctrl.signal.aborted) return;
        this.stopStream(id);
        this.send(error ? { t: "end", id, error: error.toBody() } : { t: "end", id });
      },
    };
    try {
      const handler = this.handlers[stream as keyof ApiHandlers] as AnyHandler;
      const cleanup = handler(params, sink);
      if (typeof cleanup === "function") ctrl.signal.addEventListener("abort", cleanup as () => void, { once: true });
    } catch (err) {
      sink.end(this.toApiError(err, stream));
    }
  }

  private stopStream(id: number): void {
    const ctrl = this.streams.get(id);
    if (!ctrl) return;
    this.streams.delete(id);
    this.outbox.close(id);
    ctrl.abort();
  }

  private toApiError(err: unknown, name: string): ApiError {
    if (err instanceof ApiError) return err;
    this.log.error({ err, clientId: this.clientId, name }, "handler failed");
    return new ApiError("internal", err instanceof Error ? err.message : String(err));
  }

  private send(msg: ServerMessage): void {
    this.socket.send(msg);
  }
}
