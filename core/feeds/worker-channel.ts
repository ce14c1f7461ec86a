/**
 * Trades to a strategy worker process: every trade becomes a 48-byte binary record
 * (`common/market/trade-record.ts`), records are batched into one binary frame per event-loop turn
 * (or per `maxRecords`), and frames go over the worker's IPC channel. Nothing is ever dropped:
 * while the channel has more than `alarmBytes` in flight (sent but not yet written), the channel is
 * flagged as backpressured and `onAlarm` fires once, so core can report it; frames keep queueing.
 * A trade whose price or size cannot be stored exactly in int64 is not silently altered: it is
 * counted as refused and reported through `onRefused`.
 */
import type { TradeEvent } from "../../common/market/events.ts";
import { encodeTradeFrame, tradeToRecord, TradeRecordError, type TradeRecord } from "../../common/market/trade-record.ts";
import type { InstrumentRegistry } from "./instruments-registry.ts";

/** Sends one frame; calls `done` once it left the process. */
export type FrameSender = (frame: Uint8Array, done: () => void) => void;

/** Options of {@link WorkerTradeChannel}. */
export interface WorkerChannelOptions {
  send: FrameSender;
  registry: InstrumentRegistry;
  /** In-flight bytes above which the channel is backpressured (default 8 MiB). */
  alarmBytes?: number;
  maxRecords?: number;
  onAlarm?: (inFlightBytes: number) => void;
  onRefused?: (trade: TradeEvent, reason: string) => void;
  /** Defers a flush to the end of the current turn (default `setImmediate`). */
  defer?: (fn: () => void) => void;
}

/** Counters of a channel. */
export interface WorkerChannelStats {
  records: number;
  frames: number;
  refused: number;
  inFlightBytes: number;
  alarms: number;
  backpressured: boolean;
}

/** Binary trade frames to one worker. */
export class WorkerTradeChannel {
  readonly stats: WorkerChannelStats = { records: 0, frames: 0, refused: 0, inFlightBytes: 0, alarms: 0, backpressured: false };
  private pending: TradeRecord[] = [];
  private scheduled = false;
  private readonly options: WorkerChannelOptions;

  constructor(options: WorkerChannelOptions) {
    this.options = options;
  }

  /** Queues one trade of `feed`. */
  push(trade: TradeEvent, feed: string, flags = 0): void {
    const inst = this.options.registry.get(feed, trade.symbol);
    try {
      const record = tradeToRecord(trade, { instrumentId: inst.id, sequence: inst.sequence + 1, priceScale: inst.priceScale, sizeScale: inst.sizeScale, flags });
      inst.sequence++;
      this.pending.push(record);
    } catch (err) {
      if (!(err instanceof TradeRecordError)) throw err;
      this.stats.refused++;
      this.options.onRefused?.(trade, err.message);
      return;
    }
    if (this.pending.length >= (this.options.maxRecords ?? 4096)) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      (this.options.defer ?? setImmediate)(() => this.flush());
    }
  }

  /** Sends what is queued now. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const frame = encodeTradeFrame(this.pending);
    this.stats.records += this.pending.length;
    this.stats.frames++;
    this.pending = [];
    const bytes = frame.byteLength;
    this.stats.inFlightBytes += bytes;
    this.options.send(frame, () => {
      this.stats.inFlightBytes -= bytes;
      if (this.stats.backpressured && this.stats.inFlightBytes <= (this.options.alarmBytes ?? 8 << 20) / 2) this.stats.backpressured = false;
    });
    if (!this.stats.backpressured && this.stats.inFlightBytes > (this.options.alarmBytes ?? 8 << 20)) {
      this.stats.backpressured = true;
      this.stats.alarms++;
      this.options.onAlarm?.(this.stats.inFlightBytes);
    }
  }
}
