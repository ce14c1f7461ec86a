/**
 * Per-connection outbox for stream events: the backpressure policy of the API.
 *
 * Replies to calls are never dropped. Stream events wait here while the socket's send buffer is
 * above the high-water mark; a `latest` stream keeps only its newest event, a `batch` stream keeps
 * up to `batchCap` events and drops the oldest. Every drop is counted and reported to the client
 * in a `dropped` message, so a slow or hidden window never stalls core and never lies about gaps.
 */
import type { ServerMessage, StreamDelivery } from "../../common/api/index.ts";

/** What the outbox needs from a socket. */
export interface OutboxSocket {
  send(message: ServerMessage): void;
  /** Bytes queued in the socket but not yet written to the OS. */
  bufferedAmount(): number;
}

/** Tuning of {@link StreamOutbox}. */
export interface OutboxOptions {
  highWaterBytes: number;
  batchCap: number;
  /** How often to retry flushing while the socket is congested. */
  retryMs: number;
}

interface Lane {
  delivery: StreamDelivery;
  queue: unknown[];
  dropped: number;
}

const DEFAULTS: OutboxOptions = { highWaterBytes: 1 << 20, batchCap: 2000, retryMs: 16 };

/** Coalesces and meters stream events for one connection. */
export class StreamOutbox {
  private readonly lanes = new Map<number, Lane>();
  private readonly options: OutboxOptions;
  private scheduled = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Total events dropped on this connection, for status reports. */
  droppedTotal = 0;

  private readonly socket: OutboxSocket;

  constructor(socket: OutboxSocket, options: Partial<OutboxOptions> = {}) {
    this.socket = socket;
    this.options = { ...DEFAULTS, ...options };
  }

  /** Registers a stream id with its delivery policy. */
  open(id: number, delivery: StreamDelivery): void {
    this.lanes.set(id, { delivery, queue: [], dropped: 0 });
  }

  /** Forgets a stream id and anything still queued for it. */
  close(id: number): void {
    this.lanes.delete(id);
  }

  /** Queues an event; it is sent as soon as the socket has room. */
  push(id: number, event: unknown): void {
    const lane = this.lanes.get(id);
    if (!lane) return;
    if (lane.delivery === "latest") {
      if (lane.queue.length > 0) this.countDrop(lane, lane.queue.length);
      lane.queue = [event];
    } else {
      lane.queue.push(event);
      if (lane.queue.length > this.options.batchCap) {
        const excess = lane.queue.length - this.options.batchCap;
        lane.queue.splice(0, excess);
        this.countDrop(lane, excess);
      }
    }
    this.schedule();
  }

  /** Stops timers; queued events are discarded. */
  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.lanes.clear();
  }

  private countDrop(lane: Lane, n: number): void {
    lane.dropped += n;
    this.droppedTotal += n;
  }

  private schedule(): void {
    if (this.scheduled || this.retryTimer) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Sends what the socket has room for; retries later while congested. */
  flush(): void {
    for (const [id, lane] of this.lanes) {
      if (lane.dropped > 0 && this.hasRoom()) {
        this.socket.send({ t: "dropped", id, count: lane.dropped });
        lane.dropped = 0;
      }
      while (lane.queue.length > 0 && this.hasRoom()) {
        this.socket.send({ t: "event", id, event: lane.queue.shift() });
      }
    }
    if (this.pendingCount() > 0 && !this.retryTimer) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.flush();
      }, this.options.retryMs);
    }
  }

  /** True when the socket is over its high-water mark or this stream still has events queued. */
  isCongested(id: number): boolean {
    const lane = this.lanes.get(id);
    return !this.hasRoom() || (lane !== undefined && lane.queue.length > 0);
  }

  /** Events waiting to be sent, across streams. */
  pendingCount(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.queue.length + (lane.dropped > 0 ? 1 : 0);
    return n;
  }

  private hasRoom(): boolean {
    return this.socket.bufferedAmount() < this.options.highWaterBytes;
  }
}
