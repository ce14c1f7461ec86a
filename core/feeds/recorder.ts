/**
 * Writes a feed's raw received items to a file in the recording format of the protocol layer —
 * `{"t":<ms>,"frame":"<text>"}` and `{"t":<ms>,"rest":{"path","body"}}`, one per line — which
 * `workstation replay` reads back. The recorder never drops: lines are encoded straight into 256 KiB
 * buffers that go to the file when full or 20 ms after their first line; while the stream reports
 * backpressure, full buffers wait in memory. A backlog above `alarmBytes` sets `backpressured` so
 * core can report it, but nothing is discarded. ASCII frames are escaped byte by byte into the
 * buffer (`line-encoder.ts`), with no line string built per frame — from the frame's received bytes
 * when the item carries them (faster than reading the text), else from its text; other lines go
 * through `JSON.stringify`.
 *
 * Buffers come back for reuse once written: a fresh 256 KiB buffer costs a page fault per 4 KiB on
 * first touch, which measured as a large share of a frame's CPU. While recording is busy every
 * written buffer is kept (up to {@link MAX_SPARE}), so a backlog that builds up in a burst is reused
 * by the next one; after {@link TRIM_MS} without a full buffer the spares shrink to
 * {@link IDLE_SPARE}. A file the recorder opens itself gets a stream high-water mark of several
 * buffers, so queued buffers go to the kernel together (one `writev`) instead of one per drain
 * round trip.
 */
import fs from "node:fs";
import type { Writable } from "node:stream";
import type { RawItem } from "./bus.ts";
import { encodeFrameBytes, encodeFrameLine, maxLineBytes } from "./line-encoder.ts";

/** Counters of a recorder. */
export interface RecorderStats {
  lines: number;
  /** Bytes encoded and not yet written to the file. */
  bytesQueued: number;
  backpressured: boolean;
  /** Buffers allocated so far (the rest of the writing reuses them). */
  buffersAllocated: number;
}

const CHUNK_BYTES = 256 << 10;
/** Frames up to this length are encoded straight into the buffer (see `line-encoder.ts`). */
const MAX_DIRECT_CHARS = 16 << 10;
const FLUSH_MS = 20;
/** Written buffers kept for reuse while busy (32 MiB). */
const MAX_SPARE = 128;
/** Spares kept once recording has been quiet for {@link TRIM_MS}. */
const IDLE_SPARE = 4;
const TRIM_MS = 5000;
/** High-water mark of a file stream the recorder opens: this many buffers queue in the stream. */
const STREAM_CHUNKS = 8;

/** Appends recording lines to a file. */
export class FileRecorder {
  readonly stats: RecorderStats = { lines: 0, bytesQueued: 0, backpressured: false, buffersAllocated: 1 };
  private buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly full: Buffer[] = [];
  /** Written buffers for reuse. */
  private readonly spare: Buffer[] = [];
  private sealedSinceTrim = 0;
  private trimTimer: ReturnType<typeof setInterval> | null = null;
  private waitingDrain = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly stream: Writable;
  private readonly alarmBytes: number;
  private readonly reuse: boolean;

  /**
   * Appends to `path`, or writes to `options.stream` when given (tests). Buffers are reused after
   * their write callback only on the recorder's own file stream, or when `options.reuseBuffers` says
   * the given stream is done with a chunk by then (a collecting or transforming stream is not).
   */
  constructor(path: string, options: { alarmBytes?: number; stream?: Writable; reuseBuffers?: boolean } = {}) {
    this.stream = options.stream ?? fs.createWriteStream(path, { flags: "a", mode: 0o600, highWaterMark: STREAM_CHUNKS * CHUNK_BYTES });
    this.reuse = options.stream ? options.reuseBuffers === true : true;
    this.alarmBytes = options.alarmBytes ?? 64 << 20;
  }

  /** Queues one item. */
  write(item: RawItem): void {
    this.stats.lines++;
    let end = -1;
    if ("frame" in item && item.frame.length <= MAX_DIRECT_CHARS) {
      const room = maxLineBytes(item.frame.length);
      if (room > CHUNK_BYTES - this.used) this.seal(room);
      const bytes = item.bytes;
      if (bytes !== undefined && bytes.length === item.frame.length) end = encodeFrameBytes(this.buf, this.used, item.t, bytes);
      if (end < 0) end = encodeFrameLine(this.buf, this.used, item.t, item.frame);
    }
    if (end < 0) end = this.writeText("frame" in item ? `{"t":${item.t},"frame":${JSON.stringify(item.frame)}}\n` : `${JSON.stringify(item)}\n`);
    this.stats.bytesQueued += end - this.used;
    this.used = end;
    if (this.stats.bytesQueued > this.alarmBytes) this.stats.backpressured = true;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.seal(0);
    }, FLUSH_MS);
  }

  /** Encodes `line` at the current offset (after making room); returns the offset after it. */
  private writeText(line: string): number {
    if (line.length * 3 > CHUNK_BYTES - this.used) this.seal(line.length * 3);
    return this.used + this.buf.write(line, this.used);
  }

  /** Writes everything queued and closes the file. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.trimTimer) clearInterval(this.trimTimer);
    this.timer = this.trimTimer = null;
    if (this.used > 0) this.full.push(this.buf.subarray(0, this.used));
    this.used = 0;
    if (this.waitingDrain) await new Promise<void>((resolve) => this.stream.once("drain", () => resolve()));
    for (const b of this.full.splice(0)) this.stream.write(b);
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    this.stats.bytesQueued = 0;
    this.stats.backpressured = false;
  }

  /** Moves the current buffer to the write queue (a fresh one holds at least `room` bytes) and writes. */
  private seal(room: number): void {
    if (this.used > 0) {
      this.full.push(this.buf.subarray(0, this.used));
      this.buf = (room <= CHUNK_BYTES && this.spare.pop()) || this.allocate(Math.max(CHUNK_BYTES, room));
      this.used = 0;
      this.sealedSinceTrim++;
      this.trimTimer ??= setInterval(() => this.trim(), TRIM_MS).unref();
    } else if (room > this.buf.length) this.buf = this.allocate(room);
    this.pump();
  }

  private allocate(bytes: number): Buffer {
    this.stats.buffersAllocated++;
    return Buffer.allocUnsafe(bytes);
  }

  /** Drops spares beyond {@link IDLE_SPARE} when no buffer filled since the last check. */
  private trim(): void {
    if (this.sealedSinceTrim === 0 && this.spare.length > IDLE_SPARE) this.spare.length = IDLE_SPARE;
    this.sealedSinceTrim = 0;
  }

  private pump(): void {
    while (this.full.length > 0 && !this.waitingDrain && !this.stream.destroyed && !this.stream.writableEnded) {
      const b = this.full.shift()!;
      const written = () => {
        this.stats.bytesQueued -= b.length;
        if (this.stats.bytesQueued <= this.alarmBytes) this.stats.backpressured = false;
        if (this.reuse && b.buffer.byteLength === CHUNK_BYTES && b.byteOffset === 0 && this.spare.length < MAX_SPARE) this.spare.push(Buffer.from(b.buffer, 0, CHUNK_BYTES));
      };
      if (!this.stream.write(b, written)) {
        this.waitingDrain = true;
        this.stream.once("drain", () => {
          this.waitingDrain = false;
          this.pump();
        });
      }
    }
  }
}
